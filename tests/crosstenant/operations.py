from app.extensions import db
from app.operator.models import TenantExport
from tenants.context import tenant_scope
from tenants.resolve import tenant_id_by_slug
from tests.crosstenant import factory


@factory("export_id")
def export_id(api) -> int:
    """Tenant A's data export (the console is the operator's: a tenant's staff get 404)."""
    slug = api.get("/tenant").get_json()["slug"]
    with api.client.application.app_context():
        tenant_id = tenant_id_by_slug(slug)
        with tenant_scope(tenant_id):
            row = TenantExport(tenant_id=tenant_id, status="done", file_name="a.zip")
            db.session.add(row)
            db.session.flush()
            found = row.id
        db.session.commit()
    return found


@factory("job_id")
def job_id(api) -> str:
    """Jobs belong to the platform, not to a tenant: any id; staff get 404 from the console."""
    return "a-job-of-the-platform"
