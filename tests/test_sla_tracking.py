"""Due times, pauses and breaches of one ticket (pure: a stand-in object, no database)."""
from datetime import UTC, datetime
from types import SimpleNamespace

from app.sla.clock import Calendar
from app.sla.tracking import Targets, apply_sla

MOSCOW = Calendar.build("Europe/Moscow", {str(d): [["09:00", "18:00"]] for d in range(5)})
TARGETS = Targets(first_response_minutes=60, resolution_minutes=8 * 60)


def msk(day, hour, minute=0) -> datetime:
    """A moment in November 2026 given in Moscow time (UTC+3)."""
    return datetime(2026, 11, day, hour - 3, minute, tzinfo=UTC)


def ticket(**over):
    values = {"status": "new", "priority": "normal", "created_at": msk(23, 10),
              "first_response_at": None, "resolved_at": None, "first_response_due_at": None,
              "resolution_due_at": None, "sla_paused_at": None, "sla_paused_seconds": 0,
              "sla_breached": False}
    return SimpleNamespace(**(values | over))


def test_due_times_from_creation():
    t = ticket()
    assert apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 10)) is False
    assert t.first_response_due_at == msk(23, 11)
    assert t.resolution_due_at == msk(23, 18)  # the rest of Monday is exactly 8 h
    assert t.sla_breached is False


def test_no_targets_no_due_times():
    t = ticket(first_response_due_at=msk(23, 11), sla_breached=True)
    apply_sla(t, targets=None, calendar=MOSCOW, now=msk(25, 10))
    assert (t.first_response_due_at, t.resolution_due_at, t.sla_breached) == (None, None, False)


def test_first_response_breach_and_its_report_once():
    t = ticket()
    assert apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 11, 1)) is True
    assert t.sla_breached is True
    assert apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 11, 5)) is False


def test_answered_in_time_is_not_breached():
    t = ticket(first_response_at=msk(23, 10, 30), status="open")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 15))
    assert t.sla_breached is False


def test_pause_shifts_the_resolution_due_time_by_business_time():
    t = ticket(first_response_at=msk(23, 10, 5), status="open")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 10, 5))
    t.status = "pending"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 12))
    assert t.sla_paused_at == msk(23, 12)
    assert t.resolution_due_at == msk(23, 18)  # unchanged while paused
    # The customer answers on Tuesday 10:00: paused 6 h Monday + 1 h Tuesday.
    t.status = "open"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(24, 10))
    assert t.sla_paused_at is None
    assert t.sla_paused_seconds == 7 * 3600
    assert t.resolution_due_at == msk(24, 16)


def test_pause_over_a_weekend_adds_only_business_time():
    t = ticket(created_at=msk(27, 10), first_response_at=msk(27, 10, 1), status="on_hold")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(27, 17))
    t.status = "open"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(30, 10))  # Monday 10:00
    assert t.sla_paused_seconds == 2 * 3600  # Friday 17–18 and Monday 9–10


def test_repeated_pauses_add_up_and_recomputing_is_idempotent():
    t = ticket(first_response_at=msk(23, 10, 1), status="pending")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 11))
    t.status = "open"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 12))
    t.status = "on_hold"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 13))
    t.status = "open"
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 14, 30))
    assert t.sla_paused_seconds == int(2.5 * 3600)
    due = t.resolution_due_at
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 15))
    assert t.resolution_due_at == due == msk(24, 11, 30)


def test_a_paused_ticket_does_not_breach_while_paused():
    t = ticket(first_response_at=msk(23, 10, 1), status="pending")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 12))
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(26, 12))  # days later, still paused
    assert t.sla_breached is False


def test_resolution_breach_and_late_resolution():
    t = ticket(first_response_at=msk(23, 10, 1), status="open")
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 17, 59))
    assert t.sla_breached is False
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 18, 1))
    assert t.sla_breached is True
    on_time = ticket(first_response_at=msk(23, 10, 1), status="resolved",
                     resolved_at=msk(23, 17))
    apply_sla(on_time, targets=TARGETS, calendar=MOSCOW, now=msk(30, 12))
    assert on_time.sla_breached is False
    late = ticket(first_response_at=msk(23, 10, 1), status="resolved", resolved_at=msk(24, 12))
    apply_sla(late, targets=TARGETS, calendar=MOSCOW, now=msk(24, 12))
    assert late.sla_breached is True


def test_a_higher_priority_recomputes_from_creation():
    t = ticket()
    apply_sla(t, targets=TARGETS, calendar=MOSCOW, now=msk(23, 10, 10))
    apply_sla(t, targets=Targets(15, 120), calendar=MOSCOW, now=msk(23, 10, 20))
    assert t.first_response_due_at == msk(23, 10, 15)
    assert t.sla_breached is True
