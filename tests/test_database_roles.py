"""Wall three with three roles: connecting as the application role and as the platform role.

These tests commit two real tenants and connect with plain connections of each role, the way
the web app and the platform jobs do in production.
"""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool

from app.extensions import db
from tenants import context
from tenants.database import TenantSession
from tenants.resolve import tenant_id_by_slug
from tests.conftest import remove_tenant

pytestmark = pytest.mark.real_commits


@pytest.fixture
def two_tenants(app, signup):
    ids = []
    for _ in range(2):
        api, body = signup()
        assert api.post("/departments", {"name": f"Only {body['tenant']['slug']}"}
                        ).status_code == 201
        with app.app_context():
            ids.append(tenant_id_by_slug(body["tenant"]["slug"]))
            db.session.remove()
    yield ids
    for tenant_id in ids:
        remove_tenant(app, tenant_id)


def _engine(app, key: str):
    return create_engine(app.config[key], poolclass=NullPool)


def _departments(conn, tenant=None) -> set[int]:
    if tenant is not None:
        conn.execute(text("SELECT set_config('app.tenant_id', :t, true)"), {"t": str(tenant)})
    return set(conn.execute(text("SELECT tenant_id FROM departments")).scalars())


def test_the_application_role_sees_only_the_tenant_it_names(app, two_tenants):
    a, b = two_tenants
    engine = _engine(app, "SQLALCHEMY_DATABASE_URI")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles "
                                 "WHERE rolname = current_user")).scalar() is False
        assert _departments(conn) == set()  # no tenant: nothing
        assert _departments(conn, a) == {a}
    with engine.begin() as conn:
        assert _departments(conn, b) == {b}
    engine.dispose()


@pytest.mark.parametrize("setting", [
    "SELECT set_config('app.platform', 'on', false)",
    "SELECT set_config('app.platform', 'on', true)",
    "SET row_security = off",
])
def test_no_session_setting_opens_another_tenant_to_the_application_role(app, two_tenants,
                                                                          setting):
    a, b = two_tenants
    engine = _engine(app, "SQLALCHEMY_DATABASE_URI")
    with engine.connect() as conn:
        try:
            conn.execute(text(setting))
            seen = _departments(conn, a) | set(conn.execute(text(
                "SELECT id FROM tenants")).scalars())
        except DBAPIError:
            seen = set()  # refused outright is fine too (row_security = off errors)
        conn.rollback()
    engine.dispose()
    assert b not in seen


@pytest.mark.parametrize("statement", [
    "ALTER TABLE departments NO FORCE ROW LEVEL SECURITY",
    "ALTER TABLE departments DISABLE ROW LEVEL SECURITY",
    "DROP POLICY tenant_isolation ON departments",
    "ALTER TABLE events DISABLE TRIGGER events_append_only",
    "SET ROLE helpdesk_owner",
    "TRUNCATE departments",
    "UPDATE alembic_version SET version_num = version_num",
    "CREATE TABLE intruder (id int)",
])
def test_the_application_role_cannot_change_the_walls(app, statement):
    engine = _engine(app, "SQLALCHEMY_DATABASE_URI")
    with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
        conn.execute(text(statement))
    engine.dispose()
    assert "permission denied" in str(refused.value) or "must be" in str(refused.value)


def test_the_platform_role_sees_every_tenant(app, two_tenants):
    a, b = two_tenants
    engine = _engine(app, "PLATFORM_DATABASE_URI")
    with engine.begin() as conn:
        assert conn.execute(text("SELECT rolbypassrls FROM pg_roles "
                                 "WHERE rolname = current_user")).scalar() is True
        assert {a, b} <= _departments(conn)
    engine.dispose()


def test_resolvers_answer_a_tenant_id_and_nothing_else(app, two_tenants, signup):
    a, _ = two_tenants
    engine = _engine(app, "SQLALCHEMY_DATABASE_URI")
    with engine.begin() as conn:
        slug = conn.execute(text("SELECT hd_tenant_by_slug(s.slug) FROM (SELECT 'x' AS slug) s"
                                 )).scalar()
        assert slug is None
        # The function leaves the owner's door as it found it.
        assert conn.execute(text("SELECT coalesce(current_setting('app.platform', true), '')"
                                 )).scalar() in ("", "off")
        assert _departments(conn) == set()
    engine.dispose()
    with app.app_context():
        from tenants.models import Tenant

        with context.tenant_scope(a):
            slug = db.session.get(Tenant, a).slug
        assert tenant_id_by_slug(slug) == a
        db.session.remove()


def test_platform_work_uses_the_platform_connection_and_tenant_work_the_app_role(app):
    with app.app_context():
        assert isinstance(db.session(), TenantSession)
        assert db.session.execute(text("SELECT current_user")).scalar() == "helpdesk"
        db.session.remove()
        with context.platform_connection():
            assert db.session.execute(text("SELECT current_user")).scalar() \
                == "helpdesk_platform"
        db.session.remove()


def test_platform_scope_outside_platform_work_raises(app):
    with app.app_context(), pytest.raises(context.TenantContextError):
        with context.platform_scope():
            pass
