"""Extensions, created unbound and bound to the app in create_app."""
import time

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


db = SQLAlchemy(model_class=Base, session_options={"class_": TenantSession})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[], headers_enabled=True)


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
