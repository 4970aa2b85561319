"""Ratings: once a request is resolved its requester rates it 1–5 with an optional comment.

The rating lands on the ticket (shown to agents on the ticket page), in the event log
(``ticket.rated``, with the comment) and in ``ticket_ratings``, which reports read by day
(:func:`daily_ratings`) or by any range of ``rated_at``.
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app.db_types import utcnow
from app.errors import Conflict, ValidationFailed
from app.events.service import record_event
from app.extensions import db
from app.portal.models import TicketRating
from app.portal.service import Visit
from app.tickets.constants import DONE_STATUSES
from app.tickets.models import Ticket
from app.tickets.sanitize import normalize_text
from tenants.resolve import current_tenant

SCORES = (1, 2, 3, 4, 5)
MAX_COMMENT = 2000


def _score(raw) -> int:
    try:
        score = int(str(raw).strip())
    except (TypeError, ValueError):
        score = 0
    if score not in SCORES:
        raise ValidationFailed(fields={"score": _("Choose from 1 to 5 stars.")})
    return score


def _comment(raw) -> str:
    comment = normalize_text(raw if isinstance(raw, str) else "")
    if len(comment) > MAX_COMMENT:
        raise ValidationFailed(fields={"comment": ngettext(
            "Keep the comment under %(num)d character (it has %(n)s).",
            "Keep the comment under %(num)d characters (it has %(n)s).", MAX_COMMENT,
            n=len(comment))})
    return comment


def rating_of(ticket: Ticket) -> TicketRating | None:
    return db.session.scalar(select(TicketRating).where(TicketRating.ticket_id == ticket.id))


def rate(visit: Visit, *, score, comment: str = "") -> TicketRating:
    """Rate the visit's ticket, which must be resolved or closed; rating again replaces the
    earlier rating (both are in the event log)."""
    ticket = visit.ticket
    if ticket.status not in DONE_STATUSES:
        raise Conflict(_("A request can be rated once it is resolved."))
    score, comment = _score(score), _comment(comment)
    rating = rating_of(ticket)
    before = rating.score if rating is not None else None
    now = utcnow()
    if rating is None:
        rating = TicketRating(ticket_id=ticket.id, customer_id=visit.customer.id, score=score,
                              comment=comment, rated_at=now, created_at=now)
        db.session.add(rating)
    else:
        rating.score, rating.comment, rating.rated_at = score, comment, now
    db.session.flush()
    record_event(visit.actor, "ticket.rated", ticket, {
        "number": ticket.number, "score": score, "before": before, "comment": comment})
    return rating


def _bounds(start: date, end: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    return (datetime.combine(start, time(), zone),
            datetime.combine(end + timedelta(days=1), time(), zone))


def daily_ratings(*, start: date, end: date) -> list[dict]:
    """Per day of the tenant's calendar from ``start`` to ``end`` (inclusive), days without
    ratings included: ``{day, count, average, scores: {1: n, …, 5: n}}`` (average None on
    a day without ratings). A rating counts on the day it was last given."""
    zone = ZoneInfo(current_tenant().timezone or "UTC")
    since, until = _bounds(start, end, zone)
    rows = db.session.execute(select(TicketRating.rated_at, TicketRating.score).where(
        TicketRating.rated_at >= since, TicketRating.rated_at < until))
    by_day: dict[date, list[int]] = defaultdict(list)
    for rated_at, score in rows:
        by_day[rated_at.astimezone(zone).date()].append(score)
    days = []
    day = start
    while day <= end:
        scores = by_day.get(day, [])
        days.append({"day": day, "count": len(scores),
                     "average": round(sum(scores) / len(scores), 2) if scores else None,
                     "scores": {s: scores.count(s) for s in SCORES}})
        day += timedelta(days=1)
    return days
