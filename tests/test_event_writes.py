"""Events are written in one Core statement at the flush, outside the ORM's bookkeeping, and
still follow the transaction: a savepoint or a rollback takes them back."""
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.engine import Engine

from app.events.models import Event
from app.events.service import record_event
from app.extensions import db
from tenants import context
from tests.reports_support import tenant_id_of


def _actions(prefix: str) -> list[str]:
    return list(db.session.scalars(select(Event.action).where(
        Event.action.startswith(prefix)).order_by(Event.id)))


def test_events_land_in_order_in_one_statement_and_leave_the_session(app, tenant_a):
    tenant_id = tenant_id_of(app, tenant_a)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if "INTO events" in statement:  # executemany would be one statement per row
            statements.append((statement, executemany))

    with app.app_context(), context.tenant_scope(tenant_id):
        for n in range(3):
            record_event(None, f"probe.order{n}", ("probe", n), {"n": n})
        sa_event.listen(Engine, "before_cursor_execute", count)
        try:
            db.session.flush()
        finally:
            sa_event.remove(Engine, "before_cursor_execute", count)
        assert len(statements) == 1 and statements[0][1] is False
        assert not [obj for obj in db.session if isinstance(obj, Event)]
        assert _actions("probe.order") == ["probe.order0", "probe.order1", "probe.order2"]
        row = db.session.scalars(select(Event).where(Event.action == "probe.order2")).one()
        assert row.object_type == "probe" and row.object_id == "2" and row.data == {"n": 2}
        assert row.at is not None and row.actor_type == "system" and row.tenant_id == tenant_id
        db.session.commit()


def test_a_rolled_back_savepoint_or_transaction_takes_its_events_back(app, tenant_a):
    tenant_id = tenant_id_of(app, tenant_a)
    with app.app_context(), context.tenant_scope(tenant_id):
        record_event(None, "probe.kept")
        savepoint = db.session.begin_nested()
        record_event(None, "probe.inside")
        assert "probe.inside" in _actions("probe.")  # autoflushed inside the savepoint
        savepoint.rollback()
        assert _actions("probe.") == ["probe.kept"]
        db.session.commit()
        record_event(None, "probe.dropped")
        db.session.flush()
        db.session.rollback()
        assert _actions("probe.") == ["probe.kept"]
