"""``flask --app wsgi billing …``: the operator's command-line tools."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.audit.service import record_action
from app.errors import ServiceError
from app.extensions import db
from app.money import MoneyError, parse_amount, to_decimal_string
from billing.catalog import list_addons, list_plans, set_addon, set_plan
from billing.charging import run_charge_day
from billing.jobs import release_all
from billing.ledger import adjust_balance, check_invariant
from billing.suspension import resume_if_covered
from tenants import context
from tenants.models import Tenant


def _minor(raw: str | None) -> int | None:
    if raw is None:
        return None
    try:
        return parse_amount(raw)
    except MoneyError as exc:
        raise click.BadParameter(f"{raw!r}: {exc}") from None


def _save(fn, action: str, **kwargs):
    try:
        with context.platform_scope():  # the catalog and the audit log are the platform's
            result = fn(**kwargs)
            record_action(action, source="cli", details={"name": result.name} | {
                k: v for k, v in kwargs.items() if v is not None and k != "name"})
        db.session.commit()
        return result
    except ServiceError as exc:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None


@click.group("billing")
def billing_cli():
    """Operator tools: plans, add-ons, tenants and balances, the daily charge, job queues,
    exports and the audit log."""
    context.use_platform_connection()  # operator tools: every command is platform work


@billing_cli.group("plans")
def plans():
    """List or change plans."""


@plans.command("list")
@with_appcontext
def plans_list():
    for p in list_plans():
        everything = "yes" if p.all_addons else "no"
        click.echo(f"{p.name:12} {to_decimal_string(p.daily_price):>10}/day"
                   f"  staff {p.max_staff:>4}  tickets/day {p.tickets_per_day:>6}"
                   f"  all add-ons {everything}  ({p.title})")


@plans.command("set")
@click.argument("name")
@click.option("--title")
@click.option("--price", help="Daily price, e.g. 5.00")
@click.option("--staff", type=int, help="Staff limit")
@click.option("--tickets", type=int, help="New tickets per day")
@click.option("--all-addons/--no-all-addons", default=None, help="Every add-on included")
@with_appcontext
def plans_set(name, title, price, staff, tickets, all_addons):
    """Create or change plan NAME."""
    plan = _save(set_plan, "catalog.plan_saved", name=name, title=title,
                 daily_price=_minor(price), max_staff=staff, tickets_per_day=tickets,
                 all_addons=all_addons)
    click.echo(f"Saved plan {plan.name}.")


@billing_cli.group("addons")
def addons():
    """List or change add-ons."""


@addons.command("list")
@with_appcontext
def addons_list():
    for a in list_addons():
        click.echo(f"{a.name:14} {to_decimal_string(a.daily_price):>10}/day  ({a.title})")


@addons.command("set")
@click.argument("name")
@click.option("--title")
@click.option("--price", help="Daily price, e.g. 2.00")
@with_appcontext
def addons_set(name, title, price):
    """Create or change add-on NAME."""
    addon = _save(set_addon, "catalog.addon_saved", name=name, title=title,
                  daily_price=_minor(price))
    click.echo(f"Saved add-on {addon.name}.")


@billing_cli.group("tenants")
def tenants():
    """Tenants and their balances."""


@tenants.command("list")
@click.option("--suspended", is_flag=True, help="Only suspended tenants")
@with_appcontext
def tenants_list(suspended):
    with context.platform_scope():  # PLATFORM-WIDE: operator tools
        stmt = select(Tenant).order_by(Tenant.id)
        if suspended:
            stmt = stmt.where(Tenant.suspended_at.is_not(None))
        for t in db.session.scalars(stmt):
            state = "suspended" if t.suspended_at else "active"
            click.echo(f"{t.slug:30} {t.plan:10} {to_decimal_string(t.balance):>12} "
                       f"{t.currency} {state}")


@billing_cli.command("adjust")
@click.argument("slug")
@click.argument("amount")
@click.option("--reason", required=True, help="Why (kept in the ledger)")
@with_appcontext
def adjust(slug, amount, reason):
    """Credit (positive AMOUNT) or debit (negative) tenant SLUG."""
    minor = _minor(amount)
    with context.platform_scope():  # PLATFORM-WIDE: operator tools
        tenant_id = db.session.scalar(select(Tenant.id).where(Tenant.slug == slug.lower()))
    if tenant_id is None:
        raise click.ClickException(f"No tenant {slug!r}.")
    try:
        with context.tenant_scope(tenant_id):
            entry = adjust_balance(actor="operator", tenant_id=tenant_id, amount=minor,
                                   reason=reason)
            resumed = minor > 0 and resume_if_covered(tenant_id)
            balance_after = entry.balance_after
        with context.platform_scope():  # PLATFORM-WIDE: the platform's audit log
            record_action("billing.adjusted", source="cli", reason=reason,
                          tenant=db.session.get(Tenant, tenant_id),
                          details={"amount": minor, "balance_after": balance_after,
                                   "resumed": bool(resumed)})
        db.session.commit()
    except ServiceError as exc:
        db.session.rollback()
        details = "; ".join(f"{k}: {v}" for k, v in exc.fields.items())
        raise click.ClickException(f"{exc.message} {details}".strip()) from None
    if resumed:
        click.echo("The tenant is resumed.")
    click.echo(f"Balance of {slug}: {to_decimal_string(balance_after)}.")


@billing_cli.command("check-invariant")
@with_appcontext
def check_invariant_cmd():
    """Check that every balance equals the sum of its ledger (exit 1 if not)."""
    with context.platform_scope():  # PLATFORM-WIDE: operator tools
        bad = check_invariant()
    for tenant_id, balance, total in bad:
        click.echo(f"tenant {tenant_id}: balance {balance} != ledger {total}", err=True)
    if bad:
        raise SystemExit(1)
    click.echo("OK: every balance equals its ledger's sum.")


@billing_cli.command("charge-day")
@click.option("--date", "day", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day to charge (default: today, UTC)")
@with_appcontext
def charge_day_cmd(day):
    """Run the daily charge now (idempotent per tenant and day)."""
    result = run_charge_day(day.date() if day else None)
    click.echo(f"{result.day}: charged {result.charged}, suspended {len(result.suspended)}, "
               f"resumed {len(result.resumed)}, downgraded {len(result.downgraded)}.")


@billing_cli.command("release-deferred")
@with_appcontext
def release_deferred_cmd():
    """Release deferred tickets now, as today's quotas allow."""
    click.echo(f"Released {release_all()} tickets.")
