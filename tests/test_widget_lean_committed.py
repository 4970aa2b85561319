"""The lean intake as it runs on a server: its one statement commits by itself on a
connection of its own (no BEGIN, no COMMIT), so what it stores is there for the drain at
once; requests arriving together, beside other channels, never share a number and never
deadlock with them (both take the day's quota before the counter)."""
import threading

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.tickets.creation import create_ticket
from app.widget.models import WidgetRequest
from tenants import context
from tenants.models import Tenant
from tests.conftest import remove_tenant
from tests.widget_support import Site, complete_requests

pytestmark = pytest.mark.real_commits
PARALLEL = 6  # each side: twelve connections at once, within the pool


@pytest.fixture
def committed(app, signup):
    """A committed tenant whose widget allows the shop; removed with all it owns after."""
    api, body = signup()
    with app.app_context(), context.platform_connection(), context.platform_scope():
        tenant_id = db.session.scalar(select(Tenant.id).where(
            Tenant.slug == body["tenant"]["slug"]))
        db.session.commit()
    yield Site(api).allow(), tenant_id
    remove_tenant(app, tenant_id)


def _stored(app, tenant_id: int) -> int:
    with app.app_context(), context.platform_connection(), context.platform_scope():
        count = db.session.scalar(select(func.count()).select_from(WidgetRequest)
                                  .where(WidgetRequest.tenant_id == tenant_id))
        db.session.remove()
    return count


def test_parallel_requests_and_other_channels_never_share_a_number(app, committed):
    site, tenant_id = committed
    start = threading.Barrier(PARALLEL * 2)
    numbers, errors = [], []

    def by_widget(n: int) -> None:
        start.wait()
        with app.test_client() as client:
            answer = client.post(f"/widget/{site.key}/tickets", headers=site.headers(),
                                 json={"email": f"c{n}@client.example", "subject": f"W{n}",
                                       "body": "Hello"})
        if answer.status_code != 201:
            errors.append(answer.get_json())
        numbers.append(answer.get_json()["number"])

    def by_staff(n: int) -> None:
        start.wait()
        try:
            with app.app_context(), context.tenant_scope(tenant_id):
                ticket = create_ticket(actor=None, channel="email", subject=f"M{n}",
                                       body="Hi", requester_email=f"m{n}@client.example")
                numbers.append(ticket.number)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001  (reported below)
            errors.append(repr(exc))
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=by_widget, args=(n,)) for n in range(PARALLEL)] + \
        [threading.Thread(target=by_staff, args=(n,)) for n in range(PARALLEL)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, PARALLEL * 2 + 1))
    assert _stored(app, tenant_id) == PARALLEL  # committed by the request itself
    complete_requests(app)
    assert _stored(app, tenant_id) == 0
    listed = [ticket["number"] for query in ("", "?deferred=true")  # over the quota: deferred
              for ticket in site.api.get(f"/tickets{query}").get_json()["items"]]
    assert sorted(listed) == sorted(numbers)
