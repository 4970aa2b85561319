"""Cross-area signals and the navigation registry belong to each app built by create_app:
two apps in one process neither share nor double them, and an area's receiver really runs."""
from sqlalchemy import select

from app import create_app, navigation, observability
from app.config import TestConfig
from app.customers.signals import organization_deleting
from app.departments.signals import department_deleting
from app.extensions import db
from app.letters import receivers as letters
from app.mailbox import replies as gmail_replies
from app.routing.service import create_rule, route_draft
from app.sla.service import on_ticket_changed
from app.spam.service import note_held, screen_draft
from app.staff.headcount import admin_addresses, count_active
from app.staff.models import Staff
from app.staff.signals import staff_adding, staff_deleting
from app.tickets.deferred import count_waiting, release_waiting, tenants_waiting
from app.tickets.signals import (
    ticket_admitting,
    ticket_assigned,
    ticket_changed,
    ticket_created,
    ticket_drafted,
    ticket_replied,
    ticket_resolved,
)
from billing.limits import admit_ticket, check_staff_limit
from billing.signals import (
    deferred_counting,
    deferred_finding,
    deferred_releasing,
    recipients_listing,
    staff_counting,
)
from tenants.context import tenant_scope
from tenants.resolve import tenant_by_slug
from tenants.signals import tenant_summary
from tests.test_tickets_support import Desk

# The bar as staff see it: the dashboard, the daily pages, then set-up in area order.
NAV = ["web.dashboard", "tickets.inbox", "internal_mail.index", "customers.customers", "kb.index",
       "reports.index", "departments.index",
       "staff.index", "events.index", "responses.index", "routing.index", "sla.index",
       "ticket_settings.index", "spam.stop_lists", "widget_settings.index", "mailbox.settings",
       "letters.index",
       "company.edit",
       "billing.index"]


def receivers(signal, app) -> list:
    return list(signal.receivers_for(app))


def test_each_app_has_its_own_navigation_and_receivers_once(app):
    other = create_app(TestConfig())
    for each in (app, other):
        registry = navigation.of(each)
        assert [entry.endpoint for entry in registry.entries] == NAV
        assert len(registry.banner_sources) == 2  # billing's, and Gmail's "reconnect"
        assert receivers(ticket_replied, each).count(gmail_replies.on_replied) == 1
        # Routing and the stop lists each change the draft (blinker's order is not fixed);
        # the metrics count it once it is stored.
        assert set(receivers(ticket_drafted, each)) == {route_draft, screen_draft,
                                                        observability._count_ticket}
        assert receivers(ticket_admitting, each) == [admit_ticket]
        # SLA's due times, and the letters of a ticket that stopped waiting.
        assert {on_ticket_changed, letters.on_changed} <= set(receivers(ticket_changed, each))
        assert {note_held, letters.on_created} <= set(receivers(ticket_created, each))
        for signal, receiver in ((ticket_changed, letters.on_changed),
                                 (ticket_created, letters.on_created),
                                 (ticket_replied, letters.on_replied),
                                 (ticket_resolved, letters.on_resolved),
                                 (ticket_assigned, letters.on_assigned)):
            assert receivers(signal, each).count(receiver) == 1
        assert receivers(staff_adding, each) == [check_staff_limit]
        # Tickets, the knowledge base and internal mail keep a person's history.
        assert len(receivers(staff_deleting, each)) == 3
        assert len(receivers(department_deleting, each)) == 1
        assert len(receivers(organization_deleting, each)) == 2  # tickets and routing
        assert len(receivers(tenant_summary, each)) == 1
        # Billing sits below the areas: they answer what it asks.
        assert receivers(staff_counting, each) == [count_active]
        assert receivers(recipients_listing, each) == [admin_addresses]
        assert receivers(deferred_counting, each) == [count_waiting]
        assert receivers(deferred_finding, each) == [tenants_waiting]
        assert receivers(deferred_releasing, each) == [release_waiting]
    assert navigation.of(app) is not navigation.of(other)


def test_routing_sorts_a_new_ticket_through_the_signal_of_its_app(app, signup, app_ctx):
    _api, body = signup()
    tenant = tenant_by_slug(body["tenant"]["slug"])
    other = create_app(TestConfig())
    seen = {"app": [], "other": []}
    with tenant_scope(tenant.id):
        admin = db.session.scalar(select(Staff).where(Staff.role == "admin"))
        desk = Desk(tenant.id, admin)
        billing = desk.department("Billing")
        rule = create_rule(actor=admin, name="Invoices", conditions={"words": ["invoice"]},
                           actions={"department_id": billing.id, "priority": "high"})
        with (ticket_created.connected_to(
                  lambda _app, ticket: seen["app"].append(ticket.id), sender=app),
              ticket_created.connected_to(
                  lambda _app, ticket: seen["other"].append(ticket.id), sender=other)):
            ticket = desk.ticket(body="Please send the invoice again")
    assert ticket.department_id == billing.id and ticket.priority == "high"
    assert ticket.routing_rule_id == rule.id
    assert seen == {"app": [ticket.id], "other": []}  # another app's receivers stay silent


def test_billing_asks_the_areas_above_it_and_hears_nothing_without_them(app, signup, app_ctx):
    """Billing imports no area: what it knows of staff and deferred tickets comes from the
    receivers the areas connect. Another app's receivers stay silent; none means nothing."""
    from flask import Flask

    from billing.signals import (
        count_active_staff,
        count_deferred,
        letter_recipients,
        release_waiting,
        tenants_with_deferred,
    )

    _api, body = signup()
    slug = body["tenant"]["slug"]
    tenant = tenant_by_slug(slug)
    with tenant_scope(tenant.id):
        assert count_active_staff(tenant.id) == 1
        assert letter_recipients(tenant.id) == [f"admin@{slug}.example"]
        assert count_deferred(tenant.id) == 0
    with Flask("bare").app_context():  # an app whose areas connected nothing
        assert count_active_staff(tenant.id) == 0
        assert letter_recipients(tenant.id) == []
        assert count_deferred(tenant.id) == 0 and tenants_with_deferred() == []
        assert release_waiting(tenant.id, 5) == 0
