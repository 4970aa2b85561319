"""Connecting the tenant's Gmail (admin, the Gmail add-on), the consent's return, and
disconnecting.

The consent's ``state`` is kept server-side, hashed: single use (deleted when it comes back,
even when refused), valid ten minutes, bound to the tenant (the callback finds the tenant
by it, no session cookie needed) and to the admin who started it (who must still be an
active admin). A wrong, expired or reused state is a 400 and stores nothing.
"""
import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from app.db_types import utcnow
from app.errors import BadRequest
from app.events.service import record_event
from app.extensions import db
from app.jobs import enqueue
from app.mailbox import access, jobs, status
from app.mailbox.mailboxes import GmailUnavailable, current_mailbox, mailbox_or_404
from app.mailbox.models import ConsentState, Mailbox
from app.staff.models import Staff
from app.staff.roles import ADMINS, require_role
from billing.gates import require_addon
from integrations.gmail import oauth, vault
from integrations.gmail.client import Gmail, GmailError
from tenants.resolve import current_tenant, enter_tenant_for

STATE_LIFETIME = timedelta(minutes=10)


class ConsentRefused(BadRequest):
    """The consent's return is not valid. Whatever the state named is used up (the
    refusal keeps that change), nothing else is stored."""

    default_message = _l("This Gmail connection attempt is not valid or has expired. "
                         "Start again from the Gmail settings page.")

    def __init__(self, message=None):
        super().__init__(message, keep_changes=True)


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode()).hexdigest()


def start_connect(*, actor: Staff, redirect_uri: str) -> str:
    """Admins only, with the Gmail add-on: begin Google's consent; returns its address."""
    require_role(actor, ADMINS)
    require_addon(current_tenant(), "gmail")
    if not oauth.configured() or not vault.configured():
        raise GmailUnavailable()
    db.session.execute(delete(ConsentState).where(ConsentState.expires_at <= utcnow()))
    state = secrets.token_urlsafe(32)
    url, verifier = oauth.begin(redirect_uri=redirect_uri, state=state,
                                login_hint=getattr(current_mailbox(), "email", None))
    db.session.add(ConsentState(state_hash=_digest(state), staff_id=actor.id,
                                code_verifier=verifier, redirect_uri=redirect_uri,
                                expires_at=utcnow() + STATE_LIFETIME))
    db.session.flush()
    return url


def _take_state(state: str) -> tuple[ConsentState, Staff]:
    """The consent the state names, used up; ``ConsentRefused`` for anything else."""
    hashed = _digest(state or "")
    if not state or len(state) > 200 or enter_tenant_for("tenant_by_consent_state",
                                                         hashed) is None:
        raise ConsentRefused()
    consent = db.session.scalar(select(ConsentState).where(ConsentState.state_hash == hashed))
    if consent is None:
        raise ConsentRefused()
    db.session.delete(consent)
    db.session.flush()
    staff = db.session.get(Staff, consent.staff_id)
    if consent.expires_at <= utcnow() or staff is None or not staff.active \
            or staff.role not in ADMINS:
        raise ConsentRefused()
    return consent, staff


def complete_connect(*, state: str, code: str | None, error: str | None) -> Mailbox:
    """Google's consent came back: check the state, trade the code for tokens, read the
    address, store the refresh token encrypted, and start the first sync."""
    consent, staff = _take_state(state)
    if error or not code:
        raise ConsentRefused(_("Google did not grant access (%(error)s). Nothing was "
                               "connected.", error=(error or "no code")[:100]))
    try:
        credentials = oauth.finish(redirect_uri=consent.redirect_uri, code=code,
                                   code_verifier=consent.code_verifier)
        gmail = Gmail(credentials)
        address = str(gmail.profile().get("emailAddress") or "").strip().lower()
    except (oauth.ConsentFailed, GmailError, oauth.DeadToken) as exc:
        raise ConsentRefused(_("Google refused the connection: %(error)s",
                               error=str(exc)[:200])) from exc
    if not address:
        raise ConsentRefused(_("Google did not say which mailbox this is."))
    mailbox = current_mailbox()
    if mailbox is None:
        mailbox = Mailbox(email=address, query=current_app.config.get("GMAIL_SYNC_QUERY", ""),
                          progress_done=0, progress_total=0, failures=0, last_error="")
        db.session.add(mailbox)
    elif mailbox.email != address:  # another account: its history ids mean nothing here
        mailbox.history_id = mailbox.full_sync_history_id = None
        mailbox.progress_done = mailbox.progress_total = 0
    mailbox.email, mailbox.status = address, "connected"
    status.changed()
    mailbox.refresh_token = vault.encrypt(credentials.refresh_token)
    mailbox.connected_by_id, mailbox.connected_at = staff.id, utcnow()
    mailbox.failures, mailbox.last_error, mailbox.retry_after = 0, "", None
    db.session.flush()
    access.remember(mailbox, gmail)
    record_event(staff, "gmail.connected", ("gmail", mailbox.id), {"email": address})
    enqueue(jobs.sync_mailbox_job, mailbox.tenant_id, mailbox.id)
    return mailbox


def disconnect(*, actor: Staff) -> None:
    """Admins only: forget the refresh token (revoked at Google after the commit); the
    mailbox's log stays."""
    require_role(actor, ADMINS)
    mailbox = mailbox_or_404()
    token = mailbox.refresh_token
    mailbox.status, mailbox.refresh_token = "disconnected", None
    status.changed()
    access.forget(mailbox.id)
    record_event(actor, "gmail.disconnected", ("gmail", mailbox.id), {"email": mailbox.email})
    if token:
        enqueue(jobs.revoke_job, mailbox.tenant_id, token)
