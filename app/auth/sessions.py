"""Login sessions that the server can end: one row per login, named by the login id.

Flask keeps its session in a signed cookie and Flask-Login's remember-me cookie carries the
login id, so both keep working wherever they are copied unless the server can refuse them.
Each login therefore opens a ``StaffSession`` row holding the SHA-256 of a random key; the
key is the third part of the login id (``<tenant>:<staff>:<key>``), so the session cookie
and the remember-me cookie both name the row. The user loader accepts the id only while the
row is open and recently used. Ending the row (logout, a password change, "sign out
everywhere", a reset, deactivation) ends every copy of both cookies at once.

Why rows in the database rather than a per-staff generation counter (Flask-Login's
alternative id) or sessions in Redis: a counter can only end all of a person's sessions, not
the one being logged out of, and lists nothing; Redis holds no tenant wall and a flush would
sign everyone out. Rows are tenant-scoped like everything else (ORM guard and RLS), can be
listed on the profile page, and are written at most once a minute per session.
"""
import secrets
from datetime import datetime, timedelta

from flask import request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from sqlalchemy import (
    BigInteger,
    String,
    delete,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.db_types import Id, UtcDateTime, utcnow
from app.errors import Forbidden, NotFound
from app.events.service import record_event
from app.extensions import db
from app.staff.links import digest, staff_table_args
from app.staff.models import Staff
from app.staff.roles import ADMINS, has_role
from tenants.scoping import TenantScoped

# A session unused this long is over, whatever its cookies say (the remember-me cookie
# outlives it); using it renews it.
IDLE_LIMIT = timedelta(days=30)
TOUCH_EVERY = timedelta(minutes=1)


class StaffSession(TenantScoped, db.Model):
    """One login of one staff member; only the SHA-256 of its key is stored."""

    __tablename__ = "staff_sessions"
    __table_args__ = staff_table_args()

    id: Mapped[int] = mapped_column(Id, primary_key=True)
    staff_id: Mapped[int] = mapped_column(BigInteger, index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    ip: Mapped[str | None] = mapped_column(String(45))
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    def is_open(self, now: datetime) -> bool:
        return self.ended_at is None and now - self.last_seen_at < IDLE_LIMIT

    @property
    def browser(self) -> str | None:
        return _first_match(self.user_agent, _BROWSERS)

    @property
    def system(self) -> str | None:
        return _first_match(self.user_agent, _SYSTEMS)


# Enough of a user agent to tell one's own devices apart; order matters (Edge says Chrome).
_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("YaBrowser/", "Yandex Browser"),
             ("Firefox/", "Firefox"), ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "iPhone"), ("iPad", "iPad"), ("Android", "Android"),
            ("Windows", "Windows"), ("Mac OS X", "macOS"), ("Linux", "Linux"))


def _first_match(text: str | None, table) -> str | None:
    return next((name for marker, name in table if marker in (text or "")), None)


def _client() -> dict:
    agent = (request.user_agent.string or "")[:300]
    return {"user_agent": agent, "ip": request.remote_addr}


def open_session(staff: Staff, *, user_agent: str = "", ip: str | None = None) -> str:
    """Open a login session for ``staff``; returns its key (stored only as a hash)."""
    now = utcnow()
    # This person's finished sessions are of no further use: keep the table small.
    db.session.execute(delete(StaffSession).where(
        StaffSession.staff_id == staff.id,
        or_(StaffSession.ended_at.is_not(None), StaffSession.last_seen_at < now - IDLE_LIMIT)))
    key = secrets.token_urlsafe(32)
    db.session.add(StaffSession(staff_id=staff.id, key_hash=digest(key), created_at=now,
                                last_seen_at=now, user_agent=user_agent[:300], ip=ip))
    db.session.flush()
    staff.session_key = key
    return key


def sign_in(staff: Staff, *, remember: bool = False) -> None:
    """Log ``staff`` in to this browser with a new session (the one way the web logs in)."""
    open_session(staff, **_client())  # sets staff.session_key, which the login id carries
    session.clear()  # a new session on login (no fixation)
    login_user(staff, remember=remember)
    session["lang"] = staff.language


def sign_out(staff) -> None:
    """Log this browser out: its session ends everywhere it was copied; others stay."""
    if staff is not None and end_session(getattr(staff, "session_key", None)):
        record_event(staff, "session.ended", staff)
    logout_user()
    session.clear()


def staff_for_session(staff_id: int, key: str, *, ip: str | None = None) -> Staff | None:
    """The staff member whose open session ``key`` names (in the current tenant), or None.
    The row and the staff member are read afresh on every request, so a removal or a role
    change applies to the next request."""
    row = db.session.scalar(select(StaffSession).where(StaffSession.key_hash == digest(key)))
    now = utcnow()
    if row is None or row.staff_id != staff_id or not row.is_open(now):
        return None
    staff = db.session.get(Staff, staff_id)
    if staff is None or not staff.active:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now  # at most one write a minute per session
        row.ip = ip or row.ip
    staff.session_key = key
    return staff


def end_session(key: str | None) -> bool:
    """End the session ``key`` names (a logout); True if it was open."""
    if not key:
        return False
    result = db.session.execute(update(StaffSession).where(
        StaffSession.key_hash == digest(key), StaffSession.ended_at.is_(None)
    ).values(ended_at=utcnow()))
    return result.rowcount > 0


def end_sessions(staff_id: int, *, keep: str | None = None) -> int:
    """End every open session of a staff member except ``keep`` (a key); returns how many."""
    stmt = update(StaffSession).where(StaffSession.staff_id == staff_id,
                                      StaffSession.ended_at.is_(None))
    if keep:
        stmt = stmt.where(StaffSession.key_hash != digest(keep))
    return db.session.execute(stmt.values(ended_at=utcnow())).rowcount


def kept_session(actor, staff: Staff) -> str | None:
    """The session to keep when ``actor`` changes ``staff``'s password: their own current
    one, when they change their own password while signed in; otherwise none."""
    if getattr(actor, "id", None) == staff.id and isinstance(actor, Staff):
        return actor.session_key
    return None


def open_sessions(staff_id: int) -> list[StaffSession]:
    """A staff member's open sessions, most recently used first."""
    since = utcnow() - IDLE_LIMIT
    return db.session.scalars(select(StaffSession).where(
        StaffSession.staff_id == staff_id, StaffSession.ended_at.is_(None),
        StaffSession.last_seen_at >= since).order_by(StaffSession.last_seen_at.desc())).all()


def is_current(row: StaffSession, staff) -> bool:
    key = getattr(staff, "session_key", None)
    return bool(key) and row.key_hash == digest(key)


def sign_out_everywhere(*, actor: Staff, staff_id: int, keep_current: bool = False) -> int:
    """End a staff member's sessions; returns how many ended. Admins may do it for anyone,
    everyone for themselves. With ``keep_current`` the actor's own session stays (signing
    out of the other sessions)."""
    if staff_id != getattr(actor, "id", None) and not has_role(actor, ADMINS):
        raise Forbidden()
    staff = db.session.get(Staff, staff_id)
    if staff is None:
        raise NotFound(_("Staff member not found."))
    keep = kept_session(actor, staff) if keep_current else None
    count = end_sessions(staff.id, keep=keep)
    record_event(actor, "session.ended_all", staff, {"count": count, "kept_current": bool(keep)})
    return count
