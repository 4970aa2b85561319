"""The widget's lean intake: a visitor's JSON request, checked as the full path checks it,
stored durably with its number in one statement, and made a ticket by a job right after
the commit (``app.widget.registration``).

What the request needs of the tenant — the form, the plan's daily quota, the company's
address and language — is plain data in the process's settings cache
(``app.settings_cache``), so a warm request reads nothing but the Redis round trip that
also counts its rate limits. The one statement, on PostgreSQL, applies the tenant context
for row-level security itself, then reserves the number from the ticket desk's own counter
(``ticket_counters``: numbers never collide with other channels), takes a slot of the day's
quota under the same rule as ``billing.limits.admit_ticket`` (a suspended company's request
waits, spam takes no slot), reserves the ticket's id from the tickets' sequence (so the
status link in the answer is the ticket's own, the one its letters carry), and stores the
request in ``widget_requests`` with the key of that link. The embedded default (SQLite) and
requests with files take the full path (``app.widget.intake``).
"""
import json
from dataclasses import dataclass
from functools import partial

from flask_babel import gettext as _
from sqlalchemy import Engine
from werkzeug.datastructures import LanguageAccept

from app import dedicated, settings_cache, unit_of_work
from app.db_types import utcnow
from app.errors import NotFound, ServiceError, ValidationFailed
from app.extensions import db
from app.languages import LANGUAGES
from app.portal.links import new_link_key, ticket_url
from app.settings_cache import cached
from app.spam.stop_list import current_screen
from app.tickets.completion import ask_for_drain
from app.tickets.fields import clean_values
from app.tickets.settings import get_settings
from app.widget import identity, tenant_keys
from app.widget.form import form_fields
from app.widget.intake import Submission, check_fields, widget_names
from app.widget.limits import Counted
from app.widget.registration import DRAIN_COMING, covered, register_waiting_job
from app.widget.settings import current_widget
from billing.limits import daily_ticket_limit
from tenants import context, rls
from tenants.resolve import current_tenant


@dataclass(frozen=True)
class IntakeForm:
    """What a request needs of its tenant, cached until a setting changes: the form's
    fields as the visitor sees them, the plan's daily quota, the company's address (for the
    status link) and default language, the attachment rules (the body's size is checked
    against them before it is read)."""

    slug: str
    language: str
    fields: tuple[dict, ...]
    daily_limit: int
    attachment_rules: tuple[int, int]  # the largest file, the most files


@dataclass(frozen=True)
class Stored:
    """The request as stored: its number, the status link, and whether it waits for quota.
    ``number`` None: the honeypot was filled, nothing was stored."""

    number: int | None
    status_url: str | None = None
    deferred: bool = False


def _load() -> IntakeForm:
    tenant = current_tenant()
    if tenant is None:
        raise NotFound()
    rules = get_settings("attachments")
    return IntakeForm(slug=tenant.slug, language=tenant.language,
                      fields=tuple(form_fields(current_widget())),
                      daily_limit=daily_ticket_limit(tenant),
                      attachment_rules=(int(rules["max_file_bytes"]), int(rules["max_files"])))


def intake_reads(tenant_id: int) -> tuple[str, ...]:
    """The Redis keys a request reads in the round trip that counts its rate limits: the
    settings' versions and the drain flag (``take_reads``)."""
    return (*settings_cache.version_keys(tenant_id), DRAIN_COMING)


def take_reads(tenant_id: int, counted: Counted) -> float | None:
    """Hand the settings' versions ``counted`` read (``intake_reads``) to the settings
    cache; when it saw a drain coming, the time it looked (``store``'s ``drain_seen_at``)."""
    if not counted.read:
        return None  # Redis did not answer: the settings are read uncached, the drain asked
    *versions, coming = counted.read
    settings_cache.versions_read(tenant_id, *versions)
    return counted.looked_at if coming is not None else None


def intake_form() -> IntakeForm:
    """The current tenant's ``IntakeForm`` (no query while its settings are unchanged)."""
    return cached("widget_intake", _load)


def tenant_language() -> str:
    """The company's default language, the widget's last resort for the visitor's."""
    return intake_form().language


def visitor_language(asked: str | None, accepted: LanguageAccept) -> str:
    """The visitor's language: ``?language=``, else the widget's setting, the browser's
    (``Accept-Language``), the company's."""
    if asked in LANGUAGES:
        return asked
    chosen = current_widget().language
    if chosen:
        return chosen
    return accepted.best_match(LANGUAGES) or tenant_language()


def available(submission: Submission) -> bool:
    """Whether the lean intake takes this request: no files, PostgreSQL."""
    return not submission.files and db.engine.dialect.name == "postgresql"


# Every part reads from ``begun``, so the settings are applied before any row is touched;
# the company's row is read through a lateral subquery that needs ``begun`` first. The day's
# quota row is locked before the counter's (``reserved`` reads ``claimed``, which reads all of
# ``slot``): the order the full path takes them in, so the two never deadlock.
_STORE = """
WITH begun AS MATERIALIZED (
    SELECT CAST(set_config('app.tenant_id', %(tenant)s, true) AS bigint) AS tenant_id,
           set_config('app.platform', %(platform)s, true) AS platform),
company AS (
    SELECT c.suspended_at IS NULL AS active,
           CAST(timezone(coalesce(nullif(c.timezone, ''), 'UTC'), now()) AS date) AS day
    FROM begun CROSS JOIN LATERAL (
        SELECT suspended_at, timezone FROM tenants WHERE id = begun.tenant_id LIMIT 1) AS c),
slot AS (
    INSERT INTO ticket_quotas (tenant_id, day, used)
    SELECT %(tenant_id)s, company.day, 1 FROM company
    WHERE company.active AND NOT %(spam)s AND %(day_limit)s > 0
    ON CONFLICT (tenant_id, day) DO UPDATE SET used = ticket_quotas.used + 1
        WHERE ticket_quotas.used < %(day_limit)s
    RETURNING used),
claimed AS (SELECT count(*) > 0 AS admitted FROM slot),
reserved AS (
    INSERT INTO ticket_counters (tenant_id, last_number)
    SELECT %(tenant_id)s, 1 FROM company CROSS JOIN claimed
    ON CONFLICT (tenant_id) DO UPDATE SET last_number = ticket_counters.last_number + 1
    RETURNING last_number)
INSERT INTO widget_requests (tenant_id, ticket_id, number, payload, language, verified,
                             admitted, link_key, received_at)
SELECT %(tenant_id)s, nextval('tickets_id_seq'), reserved.last_number,
       CAST(%(payload)s AS jsonb), %(language)s, %(verified)s,
       %(spam)s OR claimed.admitted, %(link_key)s, %(received_at)s
FROM reserved CROSS JOIN claimed
RETURNING ticket_id, number, admitted
"""


def _bind():
    """What the session of this context runs on, without making one when there is none
    (the direct intake has no other use for a session): its own bind, else the one every
    new session gets (a connection in an outer transaction), else the app's engine."""
    scoped = db.session
    if scoped.registry.has():
        return scoped().get_bind()
    factory = getattr(scoped, "session_factory", None)
    bind = factory.kw.get("bind") if factory is not None else None
    return bind if bind is not None else db.engine


def _store(params: dict, drain_seen_at: float | None):
    """Run the one statement: the request's whole unit of work. Given an engine, on this
    thread's own connection in autocommit (``app.dedicated``) — one round trip, committed
    as it answers (no BEGIN, no COMMIT), through the driver alone — and the drain is asked
    for at once, unless the drain the request saw coming covers it
    (``registration.covered``); inside a transaction the session was given, in that
    transaction, and the drain once it commits."""
    ask = partial(ask_for_drain, DRAIN_COMING, register_waiting_job)
    bind = _bind()
    if isinstance(bind, Engine):
        row = dedicated.fetch_one(bind, _STORE, params)
        if row is not None and not covered(drain_seen_at):
            ask()
        return row
    connection, _began = rls.connection_applying_settings(db.session())
    row = connection.exec_driver_sql(_STORE, params).first()
    unit_of_work.after_commit(ask)
    return row


def _checked(submission: Submission, form: IntakeForm) -> dict:
    """The clean values, or the 422 the full path would answer (the form's fields first,
    then the custom fields' own rules). A department is offered as the cached form says; one
    added since (adding does not change the settings' version) is looked up before a 422."""
    values, problems = check_fields(list(form.fields), submission)
    if "department_id" in problems:  # perhaps a department added since: look again
        values, problems = check_fields(form_fields(current_widget()), submission)
    if problems:
        raise ValidationFailed(_("Some fields need your attention."), fields=problems)
    try:
        clean_values(values.get("custom"), enforce_required=True)
    except ServiceError as exc:
        exc.fields = widget_names(exc)
        raise
    return values


@dataclass(frozen=True)
class Prepared:
    """A request checked and ready to store: the form it was checked against and the
    statement's parameters (nothing is written yet)."""

    form: IntakeForm
    params: dict


def prepare(*, submission: Submission, language: str) -> Prepared | None:
    """Check the visitor's request (a 422 names every field that needs attention) and make
    the parameters of its statement; None when the honeypot was filled (nothing is stored).
    Nothing is written: a caller may still hand the request to another path."""
    if submission.honeypot.strip():
        return None
    form = intake_form()
    values = _checked(submission, form)
    spam = current_screen().match(email=values["email"], subject=values.get("subject", ""),
                                  body=values.get("body", "")) is not None
    return Prepared(form, rls.settings() | {
        "tenant_id": context.current_tenant_id(), "spam": spam,
        "day_limit": form.daily_limit, "payload": json.dumps(values), "language": language,
        "link_key": new_link_key(),
        "verified": identity.is_verified(current_widget().identity_secret, values["email"],
                                         submission.email_hash),
        "received_at": utcnow()})


def store(prepared: Prepared, *, widget_key: str, drain_seen_at: float | None = None) -> Stored:
    """Store a prepared request with its number; the ticket follows in a job right after
    the commit. A company deleted since its key was remembered is a 404. ``drain_seen_at``:
    when the request saw a drain coming (``time.monotonic()`` before it looked)."""
    row = _store(prepared.params, drain_seen_at)
    if row is None:  # the company is gone: the key will be looked up again
        tenant_keys.forget(widget_key)
        raise NotFound()
    ticket_id, number, admitted = row
    params = prepared.params
    return Stored(number, ticket_url(prepared.form.slug, params["tenant_id"], ticket_id,
                                     params["link_key"]), not admitted)


def receive(*, submission: Submission, language: str, widget_key: str,
            drain_seen_at: float | None = None) -> Stored:
    """Check the visitor's request and store it with its number (a 422 names every field
    that needs attention); the ticket follows in a job right after the commit."""
    prepared = prepare(submission=submission, language=language)
    if prepared is None:
        return Stored(None)
    return store(prepared, widget_key=widget_key, drain_seen_at=drain_seen_at)
