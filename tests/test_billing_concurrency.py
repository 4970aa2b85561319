"""Limits hold under parallel load on PostgreSQL: threads with their own sessions, real commits.

Each test signs up its own tenant (committed) and deletes it afterwards.
"""
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.db_types import utcnow
from app.errors import PlanLimit
from app.extensions import db
from billing.charging import run_charge_day
from billing.limits import claim_ticket_slot
from billing.models import LedgerEntry, TicketQuota
from tenants import context
from tenants.models import Tenant
from tests.conftest import STRONG_PASSWORD, remove_tenant

pytestmark = pytest.mark.real_commits
WORKERS = 12  # below the engine's pool (5 + 10 overflow)


@pytest.fixture
def committed_tenant(app, signup):
    """A committed tenant; removed with everything it owns afterwards."""
    api, body = signup()
    with app.app_context(), context.platform_connection(), context.platform_scope():
        tenant_id = db.session.scalar(select(Tenant.id).where(
            Tenant.slug == body["tenant"]["slug"]))
        db.session.commit()
    yield api, body, tenant_id
    remove_tenant(app, tenant_id)


def _parallel(fn, n: int) -> list:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(fn, range(n)))


def test_200_parallel_claims_with_quota_10_admit_exactly_10(app, committed_tenant):
    _, _, tenant_id = committed_tenant
    when = utcnow() + timedelta(days=3)  # a day no other test touches

    def claim(_n):
        with app.app_context(), context.tenant_scope(tenant_id):
            admitted = claim_ticket_slot(tenant_id, when)
            db.session.commit()
            return admitted

    results = _parallel(claim, 200)
    assert results.count(True) == 10 and results.count(False) == 190
    with app.app_context(), context.tenant_scope(tenant_id):
        assert db.session.scalar(select(TicketQuota.used).where(
            TicketQuota.tenant_id == tenant_id)) == 10


def test_200_parallel_widget_requests_10_live_190_deferred_200_stored(app, committed_tenant):
    from app.tickets.models import Ticket
    from app.tickets.service import create_ticket

    api, _, tenant_id = committed_tenant

    def request(n):
        with app.app_context(), context.tenant_scope(tenant_id):
            ticket = create_ticket(actor=None, channel="widget", subject=f"Parallel {n}",
                                   body="Please help", requester_email=f"p{n}@load.example")
            db.session.commit()
            return ticket.deferred

    deferred = _parallel(request, 200)
    assert deferred.count(False) == 10 and deferred.count(True) == 190
    with app.app_context(), context.tenant_scope(tenant_id):
        stored = db.session.scalar(select(func.count()).select_from(Ticket))
        live = db.session.scalar(select(func.count()).select_from(Ticket)
                                 .where(Ticket.deferred.is_(False)))
        numbers = set(db.session.scalars(select(Ticket.number)))
    assert (stored, live) == (200, 10)
    assert numbers == set(range(1, 201))
    assert api.get("/tenant").get_json()["usage"]["tickets_deferred"] == 190


def test_10_parallel_invitations_with_one_place_left_admit_exactly_1(app, committed_tenant):
    from app.staff.models import Staff
    from app.staff.service import create_staff

    _, _, tenant_id = committed_tenant  # Standard: 2 staff, the admin holds one place

    def invite(n):
        with app.app_context(), context.tenant_scope(tenant_id):
            admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
            try:
                create_staff(actor=admin, name=f"Agent {n}", email=f"agent{n}@load.example",
                             password=STRONG_PASSWORD)
                db.session.commit()
                return "created"
            except PlanLimit:
                db.session.rollback()
                return "refused"

    results = _parallel(invite, 10)
    assert results.count("created") == 1 and results.count("refused") == 9
    with app.app_context(), context.tenant_scope(tenant_id):
        assert db.session.scalar(select(func.count()).select_from(Staff)) == 2


def test_charge_day_run_twice_in_parallel_charges_once(app, committed_tenant):
    api, _, tenant_id = committed_tenant
    day = utcnow().date() + timedelta(days=1)

    def charge(_n):
        with app.app_context():
            return run_charge_day(day).charged

    _parallel(charge, 2)
    with app.app_context(), context.tenant_scope(tenant_id):
        charges = db.session.scalar(select(func.count()).select_from(LedgerEntry).where(
            LedgerEntry.kind == "daily_charge", LedgerEntry.charge_date == day))
    assert charges == 1
    assert api.get("/billing").get_json()["balance"] == "195.00"
