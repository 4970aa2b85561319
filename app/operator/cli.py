"""The operator's commands beside billing's (``flask --app wsgi billing …``): a tenant's
figures, suspend and resume, exports, the job queues and the audit log."""
import shutil

import click
from flask.cli import with_appcontext

from app.audit.service import recent_actions
from app.errors import ServiceError
from app.jobs import platform_job
from app.money import to_decimal_string
from app.operator import export, queues, tenants
from app.operator.forms import error_text
from billing.cli import billing_cli
from billing.cli import tenants as tenants_group
from tenants import context

SOURCE = "cli"


def _platform_work(step):
    """Run ``step()`` as the command's one unit of work, across tenants (the job runner's
    ``platform_job``: the platform connection, one commit on success); a refused change is a
    clean error."""

    def scoped():
        with context.platform_scope():  # PLATFORM-WIDE: operator tools
            return step()

    try:
        return platform_job(scoped)()
    except ServiceError as exc:
        raise click.ClickException(error_text(exc)) from None


@tenants_group.command("show")
@click.argument("slug")
@with_appcontext
def tenants_show(slug):
    """A tenant's plan, balance, state, usage and exports."""
    def read():
        t = tenants.tenant_by_slug(slug)
        state = "held by the operator" if t.operator_hold else (
            "suspended" if t.suspended_at else "active")
        lines = [f"{t.slug} ({t.name}): plan {t.plan}, balance "
                 f"{to_decimal_string(t.balance)} {t.currency}, {state}"]
        lines += [f"  {key}: {value}" for key, value in tenants.overview(t).items()]
        lines += [f"  export {e.id}: {e.status} {e.file_name}"
                  for e in export.exports_of(t.id, 5)]
        return lines

    click.echo("\n".join(_platform_work(read)))


@tenants_group.command("suspend")
@click.argument("slug")
@click.option("--reason", required=True, help="Why (in the tenant's event log and the audit)")
@with_appcontext
def tenants_suspend(slug, reason):
    """Suspend tenant SLUG until the operator resumes it."""
    changed = _platform_work(lambda: tenants.suspend(slug, reason, source=SOURCE))
    click.echo(f"{slug} is suspended." if changed else f"{slug} was already suspended.")


@tenants_group.command("resume")
@click.argument("slug")
@click.option("--reason", default="", help="Why (kept in the audit log)")
@with_appcontext
def tenants_resume(slug, reason):
    """Lift the operator's suspension of tenant SLUG."""
    active = _platform_work(lambda: tenants.resume(slug, reason, source=SOURCE))
    click.echo(f"{slug} is active." if active else
               f"{slug}: the operator's hold is lifted; it stays suspended until its balance "
               "pays the day.")


@tenants_group.command("export")
@click.argument("slug")
@click.option("--now", is_flag=True, help="Build it in this process instead of a job")
@click.option("--out", type=click.Path(dir_okay=False, writable=True),
              help="With --now: also copy the zip here")
@with_appcontext
def tenants_export(slug, now, out):
    """Export tenant SLUG's data (a zip of JSON files)."""
    def request():
        tenant = tenants.tenant_by_slug(slug)
        return tenant.id, export.request_export(tenant, source=SOURCE)

    tenant_id, export_id = _platform_work(request)
    if not now:
        click.echo(f"Export {export_id} is queued; `billing tenants show {slug}` shows it.")
        return
    context.clear()  # the job enters the tenant itself, on the application's connection
    outcome = export.build_export(tenant_id, export_id)
    context.use_platform_connection()
    path = _platform_work(lambda: export.export_file(tenant_id, export_id))
    if outcome != "done" or path is None:
        raise click.ClickException(f"Export {export_id} failed; see the log.")
    if out:
        shutil.copyfile(path, out)
    click.echo(f"Export {export_id}: {out or path}")


@billing_cli.group("jobs")
def jobs():
    """The job queues and their failed jobs."""


@jobs.command("list")
@with_appcontext
def jobs_list():
    for q in queues.queue_states():
        click.echo(f"{q.name:16} waiting {q.waiting:>6}  running {q.running:>4}  "
                   f"scheduled {q.scheduled:>4}  failed {q.failed:>5}")
    for job in queues.failed_jobs():
        click.echo(f"failed {job.id} [{job.queue}] {job.function}: {job.error}")


@jobs.command("retry")
@click.argument("job_id")
@with_appcontext
def jobs_retry(job_id):
    """Put failed job JOB_ID back on its queue."""
    job = _platform_work(lambda: queues.retry_job(job_id, source=SOURCE))
    click.echo(f"Job {job.id} ({job.function}) is back on the {job.queue} queue.")


@billing_cli.command("audit")
@click.option("--tenant", "slug", help="Only actions on this tenant")
@click.option("--limit", type=click.IntRange(1, 1000), default=50)
@with_appcontext
def audit(slug, limit):
    """The operator's latest actions, newest first."""
    def read():
        tenant_id = tenants.tenant_by_slug(slug).id if slug else None
        return [f"{a.at:%Y-%m-%d %H:%M:%S} {a.source:7} {a.action:24} "
                f"{a.tenant_slug or '-':20} {a.reason} {a.details}"
                for a in recent_actions(tenant_id=tenant_id, limit=limit)]

    lines = _platform_work(read)
    if lines:
        click.echo("\n".join(lines))

