"""POST /billing/stripe/webhook: Stripe's events, verified over the raw body."""
import logging

from flask import Blueprint, jsonify, request

from app.extensions import db
from billing.topups import WebhookRejected, handle_webhook

log = logging.getLogger(__name__)
bp = Blueprint("stripe_webhook", __name__)


@bp.post("/billing/stripe/webhook")
def stripe_webhook():
    payload = request.get_data(cache=False)  # the exact bytes Stripe signed
    try:
        outcome = handle_webhook(payload, request.headers.get("Stripe-Signature", ""))
    except WebhookRejected as exc:
        db.session.rollback()
        log.warning("Stripe webhook rejected: %s", exc)
        return jsonify({"error": {"code": "bad_request",
                                  "message": "invalid signature or payload"}}), 400
    return jsonify({"received": True, "event": outcome.event_id, "outcome": outcome.outcome})
