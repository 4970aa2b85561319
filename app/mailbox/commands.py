"""``flask --app wsgi mail sync [--tenant SLUG] [--now]``: a Gmail sync for every connected
mailbox (or one tenant's), enqueued, or run here and now with ``--now``."""
import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.extensions import db
from app.mailbox import jobs
from app.mailbox.models import Mailbox
from app.unit_of_work import commit
from tenants import context
from tenants.models import Tenant


@click.group("mail")
def mail() -> None:
    """Mail: Gmail import."""


def _targets(slug: str | None) -> list[tuple[int, int, str]]:
    with context.platform_connection(), context.platform_scope():  # PLATFORM-WIDE: mailboxes
        stmt = select(Mailbox.tenant_id, Mailbox.id, Tenant.slug).join(
            Tenant, Tenant.id == Mailbox.tenant_id).where(Mailbox.status == "connected")
        if slug:
            stmt = stmt.where(Tenant.slug == slug.strip().lower())
        rows = [tuple(row) for row in db.session.execute(stmt)]
        commit()
    return rows


@mail.command("sync")
@click.option("--tenant", "slug", help="Only this tenant (its address).")
@click.option("--now", is_flag=True, help="Run the sync here instead of enqueueing it.")
@with_appcontext
def sync(slug: str | None, now: bool) -> None:
    """Sync the connected Gmail mailboxes."""
    targets = _targets(slug)
    if not targets:
        raise click.ClickException("no connected Gmail mailbox" + (f" for {slug}" if slug
                                                                   else ""))
    for tenant_id, mailbox_id, tenant_slug in targets:
        if now:
            result = jobs.sync_mailbox_job(tenant_id, mailbox_id)
            click.echo(f"{tenant_slug}: {result}")
        else:
            with context.tenant_scope(tenant_id):
                jobs.queue_sync(tenant_id, mailbox_id)
                commit()
            click.echo(f"{tenant_slug}: sync enqueued")
