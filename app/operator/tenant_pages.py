"""One tenant in the console: its figures, suspend and resume, data exports."""
from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from app.audit.service import recent_actions, record_action
from app.operator import export, tenants
from app.operator.access import bp, operator_page
from app.operator.forms import saving
from billing.ledger import recent_entries

SOURCE = "console"


@bp.get("/tenants/<slug>")
@operator_page
def tenant(slug: str):
    row = tenants.tenant_by_slug(slug)
    return render_template("operator/tenant.html", tenant=row, summary=tenants.overview(row),
                           ledger=recent_entries(row.id, 20), exports=export.exports_of(row.id),
                           actions=recent_actions(tenant_id=row.id, limit=20))


@bp.post("/tenants/<slug>/suspend")
@operator_page
def suspend(slug: str):
    tenants.tenant_by_slug(slug)  # an unknown address is a 404, not a message
    with saving(_("The tenant is suspended.")):
        tenants.suspend(slug, request.form.get("reason", ""), source=SOURCE)
    return redirect(url_for(".tenant", slug=slug))


@bp.post("/tenants/<slug>/resume")
@operator_page
def resume(slug: str):
    tenants.tenant_by_slug(slug)
    with saving(_("The operator's suspension is lifted.")):
        if not tenants.resume(slug, request.form.get("reason", ""), source=SOURCE):
            flash(_("The tenant stays suspended until its balance pays the day."), "error")
    return redirect(url_for(".tenant", slug=slug))


@bp.post("/tenants/<slug>/exports")
@operator_page
def request_export(slug: str):
    row = tenants.tenant_by_slug(slug)
    export.request_export(row, source=SOURCE)
    flash(_("The export is being built; it appears below when it is ready."), "success")
    return redirect(url_for(".tenant", slug=slug))


@bp.get("/tenants/<slug>/exports/<int:export_id>")
@operator_page
def download_export(slug: str, export_id: int):
    row = tenants.tenant_by_slug(slug)
    path = export.export_file(row.id, export_id)
    if path is None:
        abort(404)
    record_action("tenant.export_downloaded", source=SOURCE, tenant=row,
                  details={"export_id": export_id, "file": path.name})
    return send_file(path, mimetype="application/zip", as_attachment=True,
                     download_name=path.name, max_age=0)
