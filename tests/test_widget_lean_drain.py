"""The lean intake's durability and walls: a stored request becomes its ticket once whoever
drains it, a drain that dies leaves it for the next one, a problem found late keeps the
request with a note, an admin's change is seen by the next request, and one tenant's key
never writes into another tenant."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from rq import Queue
from sqlalchemy import func, select

from app.extensions import db
from app.tickets import creation
from app.widget import registration
from app.widget.models import WidgetRequest
from tenants.context import platform_connection, platform_scope
from tenants.models import Tenant
from tests.test_tickets_support import department
from tests.widget_support import Site, complete_requests, letters_of


@pytest.fixture
def site(tenant_a):
    return Site(tenant_a).allow()


def _waiting(app, tenant_id: int | None = None) -> int:
    """How many stored requests wait (of one tenant, or of all)."""
    with app.app_context():
        with platform_connection(), platform_scope():  # PLATFORM-WIDE: a test counts them
            query = select(func.count()).select_from(WidgetRequest)
            if tenant_id is not None:
                query = query.where(WidgetRequest.tenant_id == tenant_id)
            count = db.session.scalar(query)
        db.session.remove()
    return count


def _tenant_id(app, slug: str) -> int:
    with app.app_context():
        with platform_connection(), platform_scope():  # PLATFORM-WIDE: a test looks one up
            tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug))
        db.session.remove()
    return tenant_id


def test_the_ticket_is_made_once_whoever_drains(app, site):
    assert site.post().status_code == 201
    queue = Queue("default", connection=app.extensions["redis"])
    assert queue.count == 1  # one drain asked for
    assert site.post({"email": "ann@client.example"}).status_code == 201
    assert queue.count == 1  # one is coming already: no second job
    queue.enqueue(registration.register_waiting_job)  # a second drain, e.g. a retry
    complete_requests(app)
    with app.app_context():
        assert registration.register_waiting() == 0
    assert _waiting(app) == 0
    assert len(site.api.get("/tickets").get_json()["items"]) == 2
    assert len(letters_of(app, "receipt")) == 2


def test_a_drain_that_dies_midway_leaves_the_request_for_the_next(app, site, monkeypatch):
    response = site.post({"subject": "Toner is empty"})
    real = creation.announce

    def dies(ticket, **kwargs):
        real(ticket, **kwargs)
        raise RuntimeError("the worker died")  # half done: nothing of it may stay

    monkeypatch.setattr(creation, "announce", dies)
    complete_requests(app)  # the job fails
    monkeypatch.setattr(creation, "announce", real)
    assert _waiting(app) == 1  # rolled back with the rest of the job
    assert site.api.get("/tickets").get_json()["items"] == []
    path = urlsplit(response.get_json()["status_url"]).path
    assert 'data-testid="registering"' in site.client.get(path).get_data(as_text=True)
    with app.app_context():
        assert registration.register_waiting(older_than=registration.GRACE) == 0  # fresh
        assert registration.register_waiting(older_than=timedelta(0)) == 1  # the sweep's
    assert _waiting(app) == 0
    [ticket] = site.api.get("/tickets?q=toner").get_json()["items"]
    assert ticket["number"] == response.get_json()["number"]
    assert "Toner is empty" in site.client.get(path).get_data(as_text=True)
    assert len(letters_of(app, "receipt")) == 1


def test_a_rolled_back_request_stores_nothing_and_asks_for_no_drain(app, site, refused_commit):
    with refused_commit():
        site.post()
    assert _waiting(app) == 0
    assert Queue("default", connection=app.extensions["redis"]).count == 0


def test_a_department_gone_before_the_drain_keeps_the_request_with_a_note(app, site):
    billing = department(site.api, "Billing")
    fields = [{"name": n, "required": n in ("email", "body")}
              for n in ("email", "subject", "body", "department_id")]
    assert site.api.patch("/widget", {"fields": fields}).status_code == 200
    assert site.post({"department_id": billing}).status_code == 201
    assert site.api.delete(f"/departments/{billing}").status_code == 204
    complete_requests(app)
    assert _waiting(app) == 0
    ticket = site.api.get("/tickets/1").get_json()
    assert ticket["department_id"] is None and ticket["subject"] == "Printer jams"
    [note] = [m for m in ticket["messages"] if m["internal"]]
    assert str(billing) in note["body_html"]


def test_an_admins_change_is_seen_by_the_very_next_request(app, site):
    assert site.post().status_code == 201  # the form is cached now
    fields = [{"name": n, "required": n in ("email", "body", "department_id")}
              for n in ("email", "subject", "body", "department_id")]
    assert site.api.patch("/widget", {"fields": fields}).status_code == 200
    refused = site.post({"subject": ""})
    assert refused.status_code == 422
    assert set(refused.get_json()["error"]["fields"]) == {"department_id"}
    billing = department(site.api, "Billing")  # a new department is offered at once
    assert site.post({"department_id": billing}).status_code == 201
    assert site.api.patch("/tenant", {"language": "ru"}).status_code == 200
    answer = site.client.post(f"/widget/{site.key}/tickets", json={"email": "x"},
                              headers=site.headers())
    assert answer.get_json()["error"]["fields"]["email"] == \
        "Введите корректный адрес электронной почты."


def test_a_key_writes_into_its_own_tenant_only(app, signup):
    api_a, body_a = signup()
    api_b, body_b = signup()
    site_a = Site(api_a).allow()
    answer = site_a.post().get_json()
    tenant_a = _tenant_id(app, body_a["tenant"]["slug"])
    tenant_b = _tenant_id(app, body_b["tenant"]["slug"])
    assert _waiting(app, tenant_a) == 1 and _waiting(app, tenant_b) == 0
    slug_b = body_b["tenant"]["slug"]
    token = urlsplit(answer["status_url"]).path.rsplit("/", 1)[1]
    assert site_a.client.get(f"/p/{slug_b}/t/{token}").status_code == 404
    complete_requests(app)
    assert api_b.get("/tickets").get_json()["items"] == []
    assert len(api_a.get("/tickets").get_json()["items"]) == 1
    by_b = api_b.post("/tickets", {"subject": "Own", "body": "Own counter",
                                   "requester": {"email": "c@x.example", "name": "C"}})
    assert by_b.get_json()["number"] == 1  # A's request took no number of B's
