"""API tokens (hashed, shown once, revocable) and the append-only event log."""
import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from app.auth.models import ApiToken
from app.events.models import Event
from app.extensions import db
from tenants import context
from tests.conftest import STRONG_PASSWORD, Api


def _slug(api):
    return api.get("/tenant").get_json()["slug"]


def test_token_from_credentials_and_from_a_token(client, tenant_a):
    slug = _slug(tenant_a)
    created = client.post("/api/v1/tokens", json={"tenant": slug, "email": f"admin@{slug}.example",
                                                   "password": STRONG_PASSWORD, "name": "script"})
    assert created.status_code == 201
    body = created.get_json()
    assert body["token"].startswith("hd_") and body["name"] == "script"
    assert Api(client, body["token"]).get("/tenant").status_code == 200
    another = tenant_a.post("/tokens", {"name": "second"})
    assert another.status_code == 201 and another.get_json()["token"] != body["token"]


def test_tokens_are_stored_hashed(app, tenant_a):
    plaintext = tenant_a.post("/tokens", {"name": "hashed"}).get_json()["token"]
    with app.app_context(), context.platform_connection(), context.platform_scope():
        stored = db.session.scalars(select(ApiToken.token_hash)).all()
    assert plaintext not in stored
    assert all(len(h) == 64 for h in stored)


def test_wrong_credentials_are_401_and_missing_fields_422(client, tenant_a):
    slug = _slug(tenant_a)
    wrong = client.post("/api/v1/tokens", json={"tenant": slug, "email": f"admin@{slug}.example",
                                                 "password": "Not-the-password-9"})
    assert wrong.status_code == 401
    assert client.post("/api/v1/tokens", json={"tenant": "nobody-here", "email": "a@b.example",
                                                "password": "x"}).status_code == 401
    assert client.post("/api/v1/tokens", json={}).status_code == 422


def test_revoked_token_stops_working(client, tenant_a):
    created = tenant_a.post("/tokens", {"name": "temporary"}).get_json()
    temporary = Api(client, created["token"])
    assert temporary.get("/tenant").status_code == 200
    assert tenant_a.delete(f"/tokens/{created['id']}").status_code == 204
    assert temporary.get("/tenant").status_code == 401
    assert "token.revoked" in [e["action"] for e in tenant_a.get("/events").get_json()["items"]]


def test_token_page_shows_the_token_once(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    page = client.post("/app/tokens", data={"name": "ci"}).get_data(as_text=True)
    assert "hd_" in page and "will not be shown again" in page
    assert "will not be shown again" not in client.get("/app/tokens").get_data(as_text=True)


def test_event_filters(tenant_a):
    tenant_a.post("/departments", {"name": "Filtered"})
    me = tenant_a.get("/staff").get_json()["items"][0]["id"]
    by_action = tenant_a.get("/events?action=department.created").get_json()["items"]
    assert {e["action"] for e in by_action} == {"department.created"}
    by_actor = tenant_a.get(f"/events?actor_id={me}").get_json()["items"]
    assert by_actor and all(e["actor"]["id"] == me for e in by_actor)
    by_type = tenant_a.get("/events?object_type=department").get_json()["items"]
    assert by_type and all(e["object_type"] == "department" for e in by_type)
    future = tenant_a.get("/events?since=2999-01-01T00:00:00Z").get_json()["items"]
    assert future == []
    assert tenant_a.get("/events?since=yesterday").status_code == 422


def test_event_log_page_filters(client, signup):
    api, body = signup()
    slug = body["tenant"]["slug"]
    client.post(f"/t/{slug}/login", data={"email": f"admin@{slug}.example",
                                          "password": STRONG_PASSWORD})
    api.post("/departments", {"name": "Audited"})
    page = client.get("/app/events/?action=department.created").get_data(as_text=True)
    assert "Ada Admin created department “Audited”" in page
    assert "opened the help desk" not in page  # only the chosen action
    area = client.get("/app/events/?action=ticket.").get_data(as_text=True)
    assert "Audited" not in area and "Nothing matches these filters." in area


def test_events_cannot_be_updated_or_deleted(app, tenant_a):
    with app.app_context(), context.platform_connection(), context.platform_scope():
        event_id = db.session.scalar(select(Event.id))
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("UPDATE events SET action = 'forged' WHERE id = :id"),
                               {"id": event_id})
        db.session.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            db.session.execute(text("DELETE FROM events WHERE id = :id"), {"id": event_id})
        db.session.rollback()
        event = db.session.get(Event, event_id)
        event.action = "forged"
        with pytest.raises(RuntimeError, match="append-only"):
            db.session.flush()
        db.session.rollback()
