"""Top-ups through Stripe Checkout, and the webhook that credits them exactly once.

Creating the Checkout Session happens in the request (the admin is redirected to
its URL, so there is nothing to defer). Crediting happens when Stripe says the money
arrived: ``checkout.session.completed`` with ``payment_status=paid`` or
``checkout.session.async_payment_succeeded``. Each event id is stored in the same
transaction as its credit, and the top-up row's ``credited_at`` is set with a
conditional UPDATE, so replays, duplicates, and the success page racing the webhook
all credit once. Events may arrive in any order.
"""
import logging
from dataclasses import dataclass

import stripe
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.api import strict_json
from app.api.limits import INT64
from app.db_types import utcnow
from app.errors import ServiceError, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.money import MoneyError, format_money, parse_amount
from billing.ledger import post_entry
from billing.limits import _insert
from billing.models import StripeEvent, Topup
from billing.suspension import resume_if_covered
from tenants import context
from tenants.models import Tenant

log = logging.getLogger(__name__)

TOPUP_MIN = 10_000  # 100.00
TOPUP_MAX = 100_000_000  # 1,000,000.00
MAX_EVENT_ID, MAX_EVENT_TYPE = 255, 100  # the stripe_events columns
HANDLED = ("checkout.session.completed", "checkout.session.async_payment_succeeded",
           "checkout.session.async_payment_failed", "checkout.session.expired")


class PaymentsUnavailable(ServiceError):
    status, code = 503, "payments_unavailable"


class PaymentProviderError(ServiceError):
    status, code = 502, "payment_provider_error"


class WebhookRejected(Exception):
    """A webhook that is not provably from Stripe: 400, nothing changes."""


def _limits() -> tuple[int, int]:
    cfg = current_app.config
    return cfg.get("TOPUP_MIN", TOPUP_MIN), cfg.get("TOPUP_MAX", TOPUP_MAX)


def validate_amount(raw, *, currency: str, locale: str = "en") -> int:
    """A top-up amount in minor units; anything else is a 422 on ``amount``."""
    low, high = _limits()
    if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and not raw.strip()):
        raise ValidationFailed(fields={"amount": _("Enter an amount.")})
    try:
        amount = parse_amount(raw)
    except MoneyError:
        raise ValidationFailed(fields={"amount": _(
            "Enter a number with at most two decimal places, such as 500.00.")}) from None
    if amount <= 0:
        raise ValidationFailed(fields={"amount": _("The amount must be positive.")})
    if amount < low:
        raise ValidationFailed(fields={"amount": _(
            "The smallest top-up is %(min)s.", min=format_money(low, currency, locale))})
    if amount > high:
        raise ValidationFailed(fields={"amount": _(
            "The largest top-up is %(max)s.", max=format_money(high, currency, locale))})
    return amount


def _configure() -> str:
    cfg = current_app.config
    if not cfg.get("STRIPE_API_KEY"):
        raise PaymentsUnavailable(_("Card payments are not configured on this server."))
    # The official library, pointed at STRIPE_API_BASE when set (tests: a local fake).
    stripe.api_base = cfg.get("STRIPE_API_BASE") or "https://api.stripe.com"
    return cfg["STRIPE_API_KEY"]


def start_topup(*, actor, tenant: Tenant, amount: int) -> Topup:
    """Create a Stripe Checkout Session for ``amount`` and remember it as pending."""
    api_key = _configure()
    base = current_app.config["BASE_URL"]
    try:
        session = stripe.checkout.Session.create(
            api_key=api_key,
            mode="payment",
            line_items=[{"quantity": 1, "price_data": {
                "currency": tenant.currency.lower(), "unit_amount": amount,
                "product_data": {"name": _("Help desk balance top-up")}}}],
            client_reference_id=str(tenant.id),
            metadata={"tenant_id": str(tenant.id), "tenant": tenant.slug,
                      "amount": str(amount)},
            success_url=f"{base}/app/billing/topup/done?session_id={{CHECKOUT_SESSION_ID}}",
            cancel_url=f"{base}/app/billing/topup/cancelled",
        )
    except stripe.StripeError as exc:
        log.warning("Stripe refused a checkout session: %s", exc)
        raise PaymentProviderError(_("The payment provider is not reachable; try again "
                                     "in a minute.")) from None
    topup = Topup(tenant_id=tenant.id, session_id=session.id, amount=amount,
                  currency=tenant.currency, status="pending", checkout_url=session.url or "")
    db.session.add(topup)
    db.session.flush()
    record_event(actor, "billing.topup_started", topup, {"amount": amount,
                                                         "session_id": session.id})
    return topup


def credit_topup(topup: Topup, *, source: str) -> bool:
    """Credit a paid top-up once: the conditional UPDATE lets exactly one caller win."""
    won = db.session.execute(
        update(Topup).where(Topup.id == topup.id, Topup.credited_at.is_(None))
        .values(status="paid", credited_at=utcnow()).returning(Topup.id)
        .execution_options(synchronize_session=False)
    ).scalar()
    if won is None:
        return False
    entry = post_entry(tenant_id=topup.tenant_id, kind="topup", amount=topup.amount,
                       reference=topup.session_id, details={"source": source})
    record_event(None, "billing.credited", ("ledger_entry", entry.id),
                 {"kind": "topup", "amount": topup.amount, "session_id": topup.session_id},
                 tenant_id=topup.tenant_id)
    resume_if_covered(topup.tenant_id)
    return True


def _set_status(topup: Topup, status: str) -> bool:
    """Move an uncredited top-up to ``status`` (a credited one stays paid)."""
    changed = db.session.execute(
        update(Topup).where(Topup.id == topup.id, Topup.credited_at.is_(None))
        .values(status=status).returning(Topup.id)
        .execution_options(synchronize_session=False)).scalar()
    return changed is not None


@dataclass
class WebhookOutcome:
    event_id: str
    outcome: str


def _tenant_of(obj: dict) -> int | None:
    metadata = obj.get("metadata")
    raw = obj.get("client_reference_id") or (
        metadata.get("tenant_id") if isinstance(metadata, dict) else None)
    try:
        tenant_id = int(raw)
    except (TypeError, ValueError):
        return None
    return tenant_id if 0 < tenant_id <= INT64 else None


def _record_event_id(event) -> bool:
    """Store the event id; False when it was already processed (a replay)."""
    with context.platform_scope():  # PLATFORM-WIDE: events arrive before a tenant is known
        stmt = _insert(StripeEvent).values(
            id=event["id"], type=event["type"], received_at=utcnow(), outcome="received"
        ).on_conflict_do_nothing(index_elements=["id"]).returning(StripeEvent.id)
        return db.session.execute(stmt).scalar() is not None


def _note(event_id: str, outcome: str, tenant_id: int | None) -> None:
    with context.platform_scope():  # PLATFORM-WIDE: the event log of Stripe deliveries
        db.session.execute(update(StripeEvent).where(StripeEvent.id == event_id)
                           .values(outcome=outcome, tenant_id=tenant_id))


def _verified_event(payload: bytes, signature: str, secret: str) -> dict:
    """The signed event as plain JSON, with the parts every event has. A signed body is
    still input: it is parsed like any request body, and one without an id, a type or
    ``data.object`` is refused like a forged one."""
    try:
        stripe.WebhookSignature.verify_header(payload, signature or "", secret,
                                              tolerance=stripe.Webhook.DEFAULT_TOLERANCE)
        event = strict_json.load(payload)
    except (ValueError, stripe.SignatureVerificationError, ServiceError) as exc:
        raise WebhookRejected(str(exc)) from None
    if not isinstance(event, dict):
        raise WebhookRejected("the event is not a JSON object")
    data = event.get("data")
    if not (isinstance(event.get("id"), str) and 0 < len(event["id"]) <= MAX_EVENT_ID
            and isinstance(event.get("type"), str) and 0 < len(event["type"]) <= MAX_EVENT_TYPE
            and isinstance(data, dict) and isinstance(data.get("object"), dict)):
        raise WebhookRejected("the event has no id, type or data.object")
    return event


def handle_webhook(payload: bytes, signature: str) -> WebhookOutcome:
    """Verify and apply one Stripe event. Raises WebhookRejected for a bad signature or
    body; otherwise flushes (the view commits) and says what happened."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not secret:
        raise WebhookRejected("STRIPE_WEBHOOK_SECRET is not configured")
    event = _verified_event(payload, signature, secret)
    if not _record_event_id(event):
        return WebhookOutcome(event["id"], "duplicate")
    if event["type"] not in HANDLED:
        _note(event["id"], "ignored", None)
        return WebhookOutcome(event["id"], "ignored")
    obj = event["data"]["object"]
    tenant_id = _tenant_of(obj)
    outcome = "unknown_session"
    if tenant_id is not None and isinstance(obj.get("id"), str):
        with context.tenant_scope(tenant_id):
            topup = db.session.scalar(select(Topup).where(Topup.session_id == obj.get("id")))
            if topup is not None:
                outcome = _apply(event["type"], obj, topup)
    if outcome == "unknown_session":
        log.warning("Stripe event %s (%s) names an unknown session %s", event["id"],
                    event["type"], obj.get("id"))
        tenant_id = None
    _note(event["id"], outcome, tenant_id)
    return WebhookOutcome(event["id"], outcome)


def _apply(event_type: str, obj, topup: Topup) -> str:
    if obj.get("amount_total") not in (None, topup.amount):
        log.warning("session %s: Stripe says %s, we asked %s; crediting what we asked",
                    topup.session_id, obj.get("amount_total"), topup.amount)
    if event_type == "checkout.session.async_payment_succeeded" or (
            event_type == "checkout.session.completed" and obj.get("payment_status") == "paid"):
        return "credited" if credit_topup(topup, source=event_type) else "already_credited"
    if event_type == "checkout.session.completed":
        if topup.status == "pending":
            _set_status(topup, "processing")  # a delayed payment method: wait for the result
        return "processing"
    status = "failed" if event_type.endswith("failed") else "expired"
    if not _set_status(topup, status):
        return "already_credited"  # a late failure notice for money that did arrive
    action = "billing.topup_failed" if status == "failed" else "billing.topup_expired"
    record_event(None, action, topup, {"event": event_type}, tenant_id=topup.tenant_id)
    return status


def reconcile(topup: Topup) -> bool:
    """On the success page: ask Stripe about the session and credit it if it is paid
    (the webhook may not have arrived yet). Quietly does nothing if Stripe can't say."""
    if topup.credited_at is not None:
        return False
    try:
        session = stripe.checkout.Session.retrieve(topup.session_id, api_key=_configure())
    except (stripe.StripeError, ServiceError) as exc:
        log.info("could not reconcile %s now: %s", topup.session_id, exc)
        return False
    if session.to_dict().get("payment_status") == "paid":
        return credit_topup(topup, source="success_page")
    return False


def get_topup(session_id: str) -> Topup | None:
    """The current tenant's top-up for a Checkout Session id."""
    return db.session.scalar(select(Topup).where(Topup.session_id == (session_id or "")[:255]))
