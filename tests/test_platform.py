"""OpenAPI document, health check, jobs in their tenant, the demo seed."""
import re

from openapi_spec_validator import validate
from redis import Redis
from rq import Queue, SimpleWorker
from sqlalchemy import select

from app.demo import DEMO_PASSWORD, seed
from app.departments.models import Department
from app.extensions import db
from app.jobs import tenant_job
from tenants import context
from tenants.resolve import tenant_id_by_slug


def test_openapi_document_is_valid_and_complete(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in document["paths"].items()
                  for method in ops}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/") or rule.rule.endswith("openapi.json"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, f"{method} {path} is not in the OpenAPI document"
    signup = document["paths"]["/api/v1/signup"]["post"]
    schema_name = signup["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert schema_name.endswith("/SignupIn")
    assert "slug" in document["components"]["schemas"]["SignupIn"]["required"]


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}


def test_healthz_503_when_redis_is_down(app, client):
    real = app.extensions["redis"]
    app.extensions["redis"] = Redis(host="127.0.0.1", port=1, socket_connect_timeout=0.2)
    try:
        response = client.get("/healthz")
    finally:
        app.extensions["redis"] = real
    assert response.status_code == 503
    assert response.get_json()["redis"] == "down"


@tenant_job
def count_departments(tenant_id: int) -> int:
    return len(db.session.scalars(select(Department)).all())


def test_tenant_job_runs_inside_its_tenant(app, signup):
    api_a, _ = signup()
    signup()
    api_a.post("/departments", {"name": "Second"})
    with app.app_context():
        tenant_id = tenant_id_by_slug(api_a.get("/tenant").get_json()["slug"])
        redis = app.extensions["redis"]
        queue = Queue("default", connection=redis)
        job = queue.enqueue(count_departments, tenant_id)
        SimpleWorker([queue], connection=redis).work(burst=True)
        job.refresh()
        assert job.return_value() == 2  # Support + Second, nothing of the other tenant
        assert context.current_tenant_id() is None


def test_demo_seed_is_idempotent_and_logins_work(app, client):
    with app.app_context():
        tenant, created = seed()
        again, created_again = seed()
        assert created and not created_again and again.id == tenant.id
    for email in ("admin@demo.example", "agent@demo.example"):
        response = client.post("/t/demo/login", data={"email": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email
        inbox = client.get("/app/tickets/?view=all").get_data(as_text=True)
        assert "Do you deliver to Almaty?" in inbox  # Sales: both may see it
        if email.startswith("admin"):
            assert "Cannot log in to my account" in inbox
        client.post("/logout")


def test_openapi_references_all_resolve(client):
    document = client.get("/api/v1/openapi.json").get_json()
    names = set(document["components"]["schemas"])
    refs = set()

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    refs.add(value.rsplit("/", 1)[-1])
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(document)
    assert refs and refs <= names, sorted(refs - names)


def test_only_the_most_specific_nav_entry_is_active(client, signup):
    from tests.conftest import STRONG_PASSWORD

    _, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    page = client.get("/app/departments/").get_data(as_text=True)
    active = re.findall(r'<a href="([^"]+)" class="active">', page)
    assert active == ["/app/departments/"]


def test_the_admin_dashboard_counts_the_days_work(client, signup):
    from tests.conftest import STRONG_PASSWORD

    api, body = signup()
    for n in range(3):
        api.post("/tickets", {"subject": f"Question {n}", "body": "?",
                              "requester": {"email": f"c{n}@x.example"}})
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    page = client.get("/app/").get_data(as_text=True)

    def figure(testid: str) -> str:
        card = re.search(rf'data-testid="{testid}">.*?<p class="big">(\d+\+?)</p>', page, re.S)
        return card.group(1)

    assert figure("dash-received") == "3"
    assert figure("dash-backlog") == "3"
    assert figure("dash-resolved") == "0"
