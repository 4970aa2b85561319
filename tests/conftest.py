"""Fixtures: one app on real PostgreSQL and Redis; each test in a rolled-back transaction."""
import itertools
import os
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from sqlalchemy.pool import NullPool

from app import create_app
from app.config import TestConfig
from app.extensions import db
from app.staff.models import Staff
from tenants import context
from tenants.resolve import tenant_id_by_slug
from tests.statements import recorded_statements

_numbers = itertools.count(1)


APP_ROLE, PLATFORM_ROLE = "helpdesk", "helpdesk_platform"


@pytest.fixture(scope="session")
def app():
    """The app with the three roles of scripts/test-services.sh: migrations as the owner,
    requests as the application role, platform work as the BYPASSRLS platform role."""
    app = create_app(TestConfig())
    owner = create_engine(app.config["MIGRATION_DATABASE_URI"], poolclass=NullPool)
    with owner.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    owner.dispose()
    with app.app_context():
        upgrade(revision="heads")
    return app


def remove_tenant(app, tenant_id: int) -> None:
    """Delete a committed test tenant with everything it owns, as the tables' owner (the
    event log refuses deletes by design; a test's own tenant is the one exception)."""
    owner = create_engine(app.config["MIGRATION_DATABASE_URI"], poolclass=NullPool)
    with owner.begin() as conn:
        conn.execute(text("SELECT set_config('app.platform', 'on', true)"))
        conn.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        conn.execute(text("DELETE FROM tenants WHERE id = :t"), {"t": tenant_id})
        conn.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))
    owner.dispose()


class RoleSwitchingSession(Session):
    """A test's one connection (logged in as the platform role) plays both connections of
    the app: platform work runs as the platform role, everything else as the application
    role (``SET ROLE``), as tenants/database.py routes them in production."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        connection = super().get_bind(mapper, clause=clause, bind=bind, **kwargs)
        wanted = PLATFORM_ROLE if context.on_platform_connection() else APP_ROLE
        if connection.info.get("role") != wanted:
            connection.exec_driver_sql(f"SET ROLE {wanted}")
            connection.info["role"] = wanted
        return connection


def _forget_role(conn, *args):
    conn.info.pop("role", None)  # a rolled-back savepoint undoes SET ROLE too


@pytest.fixture(autouse=True)
def _isolated(request, app):
    """Bind db.session to one outer transaction; commits become savepoints; roll back after."""
    app.extensions["redis"].flushdb()  # rate limits and queues start empty
    if "real_commits" in request.keywords:
        yield
        return
    with app.app_context():
        connection = db.engines["platform"].connect()
    event.listen(connection, "rollback_savepoint", _forget_role)
    event.listen(connection, "rollback", _forget_role)
    outer = connection.begin()
    original = db.session
    # One session per app context (as Flask-SQLAlchemy does), all on the outer transaction.
    db.session = scoped_session(sessionmaker(
        bind=connection, class_=RoleSwitchingSession, join_transaction_mode="create_savepoint"),
        scopefunc=_app_ctx_id)
    try:
        yield
    finally:
        db.session = original
        outer.rollback()
        connection.close()
        context.clear()


@pytest.fixture
def desk(app, signup, app_ctx):
    """A Pro company's admin at the ticket desk (``Desk``), inside the company's scope: for
    service-level tests of the desk (a module may define its own ``desk``)."""
    from tests.test_tickets_support import Desk, make_pro  # it imports this module

    api, body = signup()
    make_pro(app, api)
    with context.tenant_scope(tenant_id_by_slug(body["tenant"]["slug"])):
        admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
        yield Desk(None, admin)


@pytest.fixture
def app_ctx(app):
    """An app context for service-level tests (requests push their own)."""
    with app.app_context():
        yield
        db.session.remove()


class CommitFailed(RuntimeError):
    """The request's one commit was refused (the database went away, a constraint at COMMIT)."""


@pytest.fixture
def refused_commit(monkeypatch):
    """``with refused_commit(): …`` — inside the block the unit of work's commit fails (rolling
    back first, as a refused COMMIT does) and raises CommitFailed."""
    from app import unit_of_work

    def fail():
        db.session.rollback()
        raise CommitFailed("commit refused")

    @contextmanager
    def refused():
        with monkeypatch.context() as patch:
            patch.setattr(unit_of_work, "commit", fail)
            with pytest.raises(CommitFailed):
                yield

    return refused


@pytest.fixture
def statements(app):
    """The statements the app sends inside the test, as the server sees them."""
    with recorded_statements(app) as seen:
        yield seen


@pytest.fixture
def client(app):
    return app.test_client()


def unique(prefix: str = "co") -> str:
    return f"{prefix}-{os.getpid() % 1000}-{next(_numbers)}"


class Api:
    """A small JSON client for /api/v1 with a bearer token."""

    def __init__(self, client, token: str | None = None):
        self.client, self.token = client, token

    def call(self, method: str, path: str, json=None, **kw):
        headers = kw.pop("headers", {})
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return self.client.open(f"/api/v1{path}", method=method, json=json, headers=headers,
                                **kw)

    def get(self, path, **kw):
        return self.call("GET", path, **kw)

    def post(self, path, json=None, **kw):
        return self.call("POST", path, json, **kw)

    def patch(self, path, json=None, **kw):
        return self.call("PATCH", path, json, **kw)

    def delete(self, path, **kw):
        return self.call("DELETE", path, **kw)


STRONG_PASSWORD = "Correct-horse-42"


def signup_payload(slug: str | None = None, **over) -> dict:
    slug = slug or unique()
    return {"company_name": f"Company {slug}", "slug": slug, "admin_name": "Ada Admin",
            "admin_email": f"admin@{slug}.example", "password": STRONG_PASSWORD} | over


@pytest.fixture
def signup(client):
    """Sign up a tenant through the API; returns (Api with the admin's token, response json)."""

    def make(slug: str | None = None, **over):
        response = client.post("/api/v1/signup", json=signup_payload(slug, **over))
        assert response.status_code == 201, response.get_json()
        body = response.get_json()
        return Api(client, body["token"]), body

    return make


@pytest.fixture
def tenant_a(signup):
    return signup()[0]


@pytest.fixture
def tenant_b(signup):
    return signup()[0]
