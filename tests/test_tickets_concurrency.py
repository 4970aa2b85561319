"""Ticket numbers under parallel load on PostgreSQL: 50 creations at once in one tenant,
each thread with its own session and connection, real commits → exactly 1..50."""
import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.tickets.models import Ticket, ticket_counters
from app.tickets.service import create_ticket
from tenants import context
from tenants.models import Tenant
from tests.conftest import remove_tenant

pytestmark = pytest.mark.real_commits
CREATIONS = 50


@pytest.fixture
def committed_tenant(app, signup):
    """A committed tenant; removed with everything it owns afterwards."""
    _api, body = signup()
    with app.app_context(), context.platform_connection(), context.platform_scope():
        tenant_id = db.session.scalar(select(Tenant.id).where(
            Tenant.slug == body["tenant"]["slug"]))
        db.session.commit()
    yield tenant_id
    remove_tenant(app, tenant_id)


def test_50_parallel_creations_get_numbers_1_to_50(app, committed_tenant):
    tenant_id = committed_tenant
    start = threading.Barrier(CREATIONS)
    numbers, errors = [], []

    def create(n: int) -> None:
        start.wait()  # all threads go at once
        try:
            with app.app_context(), context.tenant_scope(tenant_id):
                ticket = create_ticket(actor=None, channel="widget", subject=f"Parallel {n}",
                                       body="Please help", requester_email=f"p{n}@load.example")
                db.session.commit()
                numbers.append(ticket.number)
                db.session.remove()
        except Exception as exc:  # reported below; a thread must not die silently
            errors.append(repr(exc))

    threads = [threading.Thread(target=create, args=(n,)) for n in range(CREATIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == list(range(1, CREATIONS + 1))
    with app.app_context(), context.tenant_scope(tenant_id):
        stored = db.session.scalars(select(Ticket.number).order_by(Ticket.number)).all()
        last = db.session.scalar(select(ticket_counters.c.last_number).where(
            ticket_counters.c.tenant_id == tenant_id))
    assert stored == list(range(1, CREATIONS + 1)) and last == CREATIONS
