"""Extensions, created unbound and bound to the app in create_app."""
import time
from functools import partial

from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import DeclarativeBase

from tenants.database import TenantSession

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ViewLimiter(Limiter):
    """Flask-Limiter whose request hooks cost nothing while every limit is a view's own.

    Our limits are ``limiter.limit(...)`` on views (and API endpoints): the decorator checks
    them when the view runs. Flask-Limiter's before-request hook would still, on every request,
    resolve the endpoint's limits only to find none, and its after-request and teardown hooks
    would make a per-request context to read nothing from it. Here the before-request check
    runs only when a limit can apply outside the views (application, default, meta or
    blueprint limits, or the in-memory fallback), and the other two hooks only on a request
    whose limits were checked. Call sites are unchanged: ``limiter.limit``, ``limiter.exempt``.
    """

    def _limits_outside_views(self) -> bool:
        manager = self.limit_manager
        return bool(manager._application_limits or manager._default_limits
                    or manager._blueprint_limits or self._meta_limits
                    or self._in_memory_fallback_enabled)

    def _check_request_limit(self, callable_name=None, in_middleware=True) -> None:
        if in_middleware and callable_name is None and not self._limits_outside_views():
            return  # the before-request hook, with nothing to check before the view
        super()._check_request_limit(callable_name=callable_name, in_middleware=in_middleware)

    def _checked_this_request(self) -> bool:
        return self in getattr(request_ctx._get_current_object(), "_limiter_request_context", ())

    def init_app(self, app) -> None:
        super().init_app(app)
        # Flask-Limiter registers its after-request hook as partial(Limiter.__inject_headers,
        # self), which a subclass cannot override: swap it (and the teardown) in place, so the
        # hooks keep their order. Not found (another Flask-Limiter): the originals stay.
        after = app.after_request_funcs.get(None, [])
        for i, hook in enumerate(after):
            if (isinstance(hook, partial) and hook.args == (self,)
                    and hook.func is Limiter._Limiter__inject_headers):
                after[i] = partial(self._inject_headers_if_checked, hook)
        teardown = app.teardown_request_funcs.get(None, [])
        for i, hook in enumerate(teardown):
            if hook == self._Limiter__release_context:
                teardown[i] = partial(self._release_if_checked, hook)

    def _inject_headers_if_checked(self, inject, response):
        return inject(response) if self._checked_this_request() else response

    def _release_if_checked(self, release, exc=None) -> None:
        if self._checked_this_request():
            release(exc)


# Public endpoints for other sites' pages, called without credentials: no session at all.
SESSIONLESS = ("/widget/",)


class CookieSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, with its serializer made once per secret key (Flask
    builds one on every request) and not at all for a request without a session cookie."""

    def __init__(self) -> None:
        self._serializer = (None, None)  # ((secret key, fallbacks), serializer)

    def get_signing_serializer(self, app):
        if not app.secret_key:
            return None
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        made_for, serializer = self._serializer
        if made_for != keys:
            serializer = super().get_signing_serializer(app)
            self._serializer = (keys, serializer)
        return serializer

    def open_session(self, app, request):
        if request.path.startswith(SESSIONLESS):
            return self.make_null_session(app)  # never a cookie read, written or varied on
        if app.secret_key and not request.cookies.get(self.get_cookie_name(app)):
            return self.session_class()  # what Flask answers then, without a serializer
        return super().open_session(app, request)


db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = ViewLimiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


@event.listens_for(Engine, "connect")
def _session_setup(dbapi_connection, connection_record):
    """PostgreSQL: the session works in UTC, whatever the server's default (the driver then
    returns UTC datetimes, which ``app.db_types.UtcDateTime`` passes on as they are).
    SQLite (the embedded default): enforce foreign keys, let web and worker share the file."""
    if type(dbapi_connection).__module__.startswith("psycopg"):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True  # a SET outside any transaction: it stays
        dbapi_connection.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.autocommit = autocommit
        return
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


# A pooled connection is pinged before use only when it has sat idle this long. A connection
# used a moment ago is alive (what kills connections — a server restart, an idle timeout on the
# way — meets idle ones), and a ping on every checkout would cost a busy worker a round trip
# and a transaction of its own per request. After a server restart a connection returned less
# than a second earlier can still fail once; SQLAlchemy then discards the whole pool.
PING_AFTER_IDLE_S = 1.0


def ping_idle_connections(app) -> None:
    """Check a pooled connection with the dialect's ping when it has been idle a while; a
    dead one is replaced (the pool retries the checkout) before any statement runs on it."""
    with app.app_context():
        engines = list(db.engines.values())
    for engine in engines:
        dialect = engine.dialect

        def on_checkout(dbapi_connection, record, proxy, dialect=dialect):
            returned = record.info.get("returned_at")
            if returned is not None and time.monotonic() - returned < PING_AFTER_IDLE_S:
                return
            try:
                alive = dialect.do_ping(dbapi_connection)
            except Exception as error:  # noqa: BLE001 - any failure means a dead connection
                raise DisconnectionError(str(error)) from error
            if not alive:
                raise DisconnectionError("the connection did not answer a ping")

        def on_checkin(dbapi_connection, record):
            record.info["returned_at"] = time.monotonic()

        event.listen(engine, "checkout", on_checkout)
        event.listen(engine, "checkin", on_checkin)
