"""API tokens: shown once, stored as SHA-256, revocable."""
import hashlib
import secrets

from sqlalchemy import bindparam, select

from app.auth.models import ApiToken
from app.db_types import utcnow
from app.errors import NotFound
from app.events.service import record_event
from app.extensions import db
from app.rows import labelled, loaded, split
from app.staff.models import Staff
from tenants.models import Tenant
from tenants.resolve import enter_tenant_for, keep_tenant_row

PREFIX = "hd_"


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(staff: Staff, name: str, *, actor=None) -> tuple[ApiToken, str]:
    """Create a token for ``staff``; returns the row and the plaintext (never stored)."""
    plaintext = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        tenant_id=staff.tenant_id, staff_id=staff.id, name=name.strip() or "API",
        token_hash=_digest(plaintext), prefix=plaintext[: len(PREFIX) + 6],
    )
    db.session.add(token)
    db.session.flush()
    record_event(actor or staff, "token.created", token, {"name": token.name, "staff_id": staff.id})
    return token, plaintext


def revoke_token(staff: Staff, token_id: int) -> ApiToken:
    """Revoke one of ``staff``'s own tokens (admins may revoke anyone's)."""
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.staff_id != staff.id and not staff.is_admin):
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(staff, "token.revoked", token, {"name": token.name})
    return token


# The token, its staff member and their tenant (which the request reads next) in one Core
# statement, in the tenant the token's lookup entered (row-level security holds it there too).
_tokens, _staff, _tenants = ApiToken.__table__, Staff.__table__, Tenant.__table__
_IDENTITY = (select(*labelled(ApiToken, "t_"), *labelled(Staff, "s_"), *labelled(Tenant, "c_"))
             .select_from(_tokens.join(_staff, _staff.c.id == _tokens.c.staff_id)
                          .join(_tenants, _tenants.c.id == _tokens.c.tenant_id))
             .where(_tokens.c.token_hash == bindparam("digest"),
                    _tokens.c.tenant_id == bindparam("tenant_id")))


def staff_for_token(plaintext: str) -> Staff | None:
    """Resolve a bearer token to its staff member and enter its tenant."""
    if not plaintext.startswith(PREFIX):
        return None
    digest = _digest(plaintext)
    tenant_id = enter_tenant_for("tenant_by_token_hash", digest)
    if tenant_id is None:
        return None
    row = db.session.connection().execute(
        _IDENTITY, {"digest": digest, "tenant_id": tenant_id}).first()
    if row is None:
        return None
    token = loaded(ApiToken, split(row, "t_"))
    staff = loaded(Staff, split(row, "s_"))
    keep_tenant_row(loaded(Tenant, split(row, "c_")))
    if token.revoked_at is not None or not staff.active:
        return None
    now = utcnow()
    last = token.last_used_at
    if last is None or (now - last).total_seconds() > 60:
        token.last_used_at = now  # at most one write a minute per token, not one per call
    return staff
