"""Wall one: the tenant is resolved once per request, and rows never outlive their scope."""
import pytest
from sqlalchemy import select

from app.extensions import db
from app.staff.models import Staff
from tenants import context
from tenants.context import TenantContextError
from tenants.resolve import tenant_id_by_slug
from tests.conftest import STRONG_PASSWORD


def _login(client, slug: str, email: str, password: str = STRONG_PASSWORD):
    return client.post(f"/t/{slug}/login", data={"email": email, "password": password})


def test_a_second_different_tenant_in_one_request_raises(app):
    with app.test_request_context("/"):
        context.set_tenant(1)
        context.set_tenant(1)  # the same one again is harmless
        with pytest.raises(TenantContextError):
            context.set_tenant(2)
        with pytest.raises(TenantContextError):
            with context.tenant_scope(2):
                pass
        context.clear()


def test_another_tenants_login_page_shows_only_that_tenant(app, client, signup):
    _, a = signup(company_name="Alpha Widgets Ltd")
    _, b = signup(company_name="Beta Bakery Ltd")
    slug_a, slug_b = a["tenant"]["slug"], b["tenant"]["slug"]
    assert _login(client, slug_a, f"admin@{slug_a}.example").status_code == 302
    assert "Alpha Widgets" in client.get("/app/").get_data(as_text=True)

    page = client.get(f"/t/{slug_b}/login")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Beta Bakery" in html
    assert "Alpha Widgets" not in html and "Ada Admin" not in html  # nothing of A's session
    assert 'name="password"' in html

    failed = _login(client, slug_b, f"admin@{slug_b}.example", "wrong-password-0")
    assert failed.status_code == 200  # not a 500
    assert "Alpha Widgets" not in failed.get_data(as_text=True)
    # A's session is untouched and still A's.
    assert "Alpha Widgets" in client.get("/app/").get_data(as_text=True)


def test_a_session_of_another_tenant_is_not_signed_in_there(app, client, signup):
    _, a = signup()
    _, b = signup()
    slug_a, slug_b = a["tenant"]["slug"], b["tenant"]["slug"]
    _login(client, slug_a, f"admin@{slug_a}.example")
    # Logging in to B from the same browser replaces the session; A's pages then ask again.
    assert _login(client, slug_b, f"admin@{slug_b}.example").status_code == 302
    assert "Company" in client.get("/app/").get_data(as_text=True)


def test_changing_scope_forgets_the_rows_of_the_old_one(app, signup):
    """``session.get`` would serve a cached row of tenant A inside tenant B's scope without
    any SQL, out of sight of the ORM guard and of RLS."""
    _, a = signup()
    _, b = signup()
    with app.app_context():
        ids = tenant_id_by_slug(a["tenant"]["slug"]), tenant_id_by_slug(b["tenant"]["slug"])
        with context.platform_connection():
            with context.tenant_scope(ids[0]):
                staff_a = db.session.scalar(select(Staff))
                staff_id = staff_a.id
                assert db.session.get(Staff, staff_id) is staff_a
            with context.tenant_scope(ids[1]):
                assert db.session.get(Staff, staff_id) is None
                assert staff_a not in db.session
        db.session.remove()


def test_rows_changed_in_a_scope_are_written_before_it_ends(app, signup):
    _, a = signup()
    with app.app_context():
        tenant_id = tenant_id_by_slug(a["tenant"]["slug"])
        with context.platform_connection():
            with context.tenant_scope(tenant_id):
                db.session.scalar(select(Staff)).name = "Renamed In Scope"
            with context.tenant_scope(tenant_id):
                assert db.session.scalar(select(Staff.name)) == "Renamed In Scope"
        db.session.remove()


def test_signing_up_another_company_while_signed_in(app, client, signup):
    _, a = signup(company_name="First Company Ltd")
    slug_a = a["tenant"]["slug"]
    _login(client, slug_a, f"admin@{slug_a}.example")
    from tests.conftest import signup_payload

    payload = signup_payload(company_name="Second Company Ltd")
    response = client.post("/signup", data=payload)
    assert response.status_code == 302
    assert "Second Company Ltd" in client.get("/app/").get_data(as_text=True)


def test_a_page_that_finds_its_own_tenant_never_takes_the_cookies_one(app, client, signup):
    """Before such a view enters the tenant its input names, nothing — not even choosing the
    page's language — may enter the tenant of the browser's session."""
    _, a = signup(company_name="Cookie Company Ltd")
    slug_a = a["tenant"]["slug"]
    _login(client, slug_a, f"admin@{slug_a}.example")
    with app.test_request_context("/signup"):
        from flask import g

        from app.requests import _load_staff

        g.view_resolves_tenant = True
        assert _load_staff(f"{tenant_id_by_slug(slug_a)}:1:key") is None
        assert context.current_tenant_id() is None
    page = client.get("/signup")
    assert page.status_code == 200 and "Cookie Company" not in page.get_data(as_text=True)
