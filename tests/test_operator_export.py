"""A tenant's data export: a zip of JSON files built by a job running as that tenant, with
everything of it and nothing of any other tenant; and the operator's commands."""
import io
import json
import zipfile

import pytest
from rq import Queue, SimpleWorker

from app.operator.export import CONTENTS
from tests.kb_support import article, category, slug_of

TOKEN = "operator-export-token"


@pytest.fixture
def console(app, client, tmp_path):
    saved = app.config.get("OPERATOR_TOKEN"), app.config.get("EXPORTS_DIR")
    app.config.update(OPERATOR_TOKEN=TOKEN, EXPORTS_DIR=str(tmp_path))
    yield client
    app.config["OPERATOR_TOKEN"], app.config["EXPORTS_DIR"] = saved


def fill(api, marker: str) -> None:
    """Tickets, a reply, a customer and an organization, a KB category and article."""
    created = api.post("/tickets", {"subject": f"Subject {marker}", "body": f"Body {marker}",
                                    "requester": {"email": f"{marker}@client.example",
                                                  "name": f"Customer {marker}"}})
    assert created.status_code == 201
    number = created.get_json()["number"]
    assert api.post(f"/tickets/{number}/messages", {"body": f"Reply {marker}",
                                                    "internal": False}).status_code == 201
    kb = category(api, f"Category {marker}")
    article(api, f"Article {marker}", f"Text {marker}", category_id=kb["id"], public=True)


def run_jobs(app) -> None:
    with app.app_context():
        redis = app.extensions["redis"]
        SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)


def test_an_export_holds_all_of_one_tenant_and_nothing_of_another(app, console, signup):
    api_a, _ = signup(company_name="Alpha Exports")
    api_b, _ = signup(company_name="Bravo Secrets")
    fill(api_a, "alphamark")
    fill(api_b, "bravomark")
    slug_a, slug_b = slug_of(api_a), slug_of(api_b)
    assert console.post("/operator/login", data={"token": TOKEN}).status_code == 302
    assert console.post(f"/operator/tenants/{slug_a}/exports").status_code == 302
    assert "queued" in console.get(f"/operator/tenants/{slug_a}").get_data(as_text=True)
    run_jobs(app)
    page = console.get(f"/operator/tenants/{slug_a}").get_data(as_text=True)
    assert f"{slug_a}-" in page
    link = page.split(f'href="/operator/tenants/{slug_a}/exports/')[1].split('"')[0]
    download = console.get(f"/operator/tenants/{slug_a}/exports/{link}")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    # another tenant's address with this export's id: nothing
    assert console.get(f"/operator/tenants/{slug_b}/exports/{link}").status_code == 404

    archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert set(archive.namelist()) == set(CONTENTS) | {"manifest.json"}
    raw = b"".join(archive.read(name) for name in archive.namelist()).decode()
    assert "bravomark" not in raw and "Bravo Secrets" not in raw and slug_b not in raw
    data = {name: json.loads(archive.read(name)) for name in CONTENTS}
    tenant_ids = {row["tenant_id"] for rows in data.values() for row in rows}
    assert len(tenant_ids) == 1
    assert [t["subject"] for t in data["tickets.json"]] == ["Subject alphamark"]
    assert {m["body_text"] for m in data["messages.json"]} >= {"Body alphamark",
                                                                "Reply alphamark"}
    assert [c["email"] for c in data["customers.json"]] == ["alphamark@client.example"]
    assert [a["title"] for a in data["kb_articles.json"]] == ["Article alphamark"]
    assert [c["name"] for c in data["kb_categories.json"]] == ["Category alphamark"]
    assert any(e["action"] == "tenant.signed_up" for e in data["events.json"])
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["tenant"]["slug"] == slug_a
    assert manifest["counts"]["tickets.json"] == 1
    audit = console.get("/operator/audit").get_data(as_text=True)
    assert "tenant.export_requested" in audit and "tenant.export_downloaded" in audit


def test_tenant_staff_cannot_download_an_export(app, console, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    assert console.post("/operator/login", data={"token": TOKEN}).status_code == 302
    console.post(f"/operator/tenants/{slug}/exports")
    run_jobs(app)
    page = console.get(f"/operator/tenants/{slug}").get_data(as_text=True)
    link = page.split(f'href="/operator/tenants/{slug}/exports/')[1].split('"')[0]
    console.post("/operator/logout")
    assert console.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                                  "password": "Correct-horse-42"}
                        ).status_code == 302
    assert console.get(f"/operator/tenants/{slug}/exports/{link}").status_code == 404


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["billing", *args])


def test_the_commands_show_suspend_resume_export_and_audit(app, signup, tmp_path):
    api, body = signup()
    slug = body["tenant"]["slug"]
    fill(api, "climark")
    app.config["EXPORTS_DIR"] = str(tmp_path / "exports")
    try:
        shown = cli(app, "tenants", "show", slug)
        assert shown.exit_code == 0, shown.output
        assert "200.00" in shown.output and "active" in shown.output
        assert "tickets_today" in shown.output
        assert cli(app, "tenants", "show", "no-such").exit_code != 0
        assert cli(app, "tenants", "suspend", slug).exit_code == 2  # --reason required
        held = cli(app, "tenants", "suspend", slug, "--reason", "abuse report")
        assert held.exit_code == 0 and "is suspended" in held.output
        assert "already" in cli(app, "tenants", "suspend", slug, "--reason", "x").output
        assert api.get("/tenant").get_json()["suspended"] is True
        assert "held by the operator" in cli(app, "tenants", "show", slug).output
        resumed = cli(app, "tenants", "resume", slug, "--reason", "cleared")
        assert resumed.exit_code == 0 and "is active" in resumed.output
        assert cli(app, "adjust", slug, "10", "--reason", "cli credit").exit_code == 0
        out = tmp_path / "copy.zip"
        exported = cli(app, "tenants", "export", slug, "--now", "--out", str(out))
        assert exported.exit_code == 0, exported.output
        tickets = json.loads(zipfile.ZipFile(out).read("tickets.json"))
        assert [t["subject"] for t in tickets] == ["Subject climark"]
        queued = cli(app, "tenants", "export", slug)
        assert queued.exit_code == 0 and "queued" in queued.output
        audit = cli(app, "audit", "--tenant", slug)
        assert audit.exit_code == 0
        lines = audit.output.splitlines()
        assert [line.split()[3] for line in lines] == [
            "tenant.export_requested", "tenant.export_requested", "billing.adjusted",
            "tenant.resumed", "tenant.suspended"]
        assert all(" cli " in line for line in lines) and "abuse report" in audit.output
        listed = cli(app, "jobs", "list")
        assert listed.exit_code == 0 and "default" in listed.output
        assert cli(app, "jobs", "retry", "no-such-job").exit_code != 0
    finally:
        app.config["EXPORTS_DIR"] = ""
