"""What the reports plug into the app: the pages and API, the nav entry for those who read
reports, the duration filter, the rollup marks on every ticket change, and the CLI."""
import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from app import navigation
from app.formatting import duration
from app.reports import api as _api  # noqa: F401  (registers the API endpoints)
from app.reports import jobs, rollup
from app.reports.charts import COLORS, spark
from app.reports.views import bp
from app.staff.roles import MANAGERS
from app.tickets.signals import ticket_changed
from app.unit_of_work import commit
from tenants.context import tenant_scope
from tenants.resolve import tenant_id_by_slug

cli = AppGroup("reports", help="Report rollups.")


@cli.command("rebuild")
@click.option("--tenant", "slug", required=True, help="the company's address")
def rebuild_command(slug: str) -> None:
    """Build a company's report rollups over its whole history now (in this process)."""
    tenant_id = tenant_id_by_slug(slug)
    if tenant_id is None:
        raise click.ClickException(f"no company with the address {slug!r}")
    with tenant_scope(tenant_id):
        days = rollup.rebuild()
        commit()
    click.echo(f"{slug}: {days} days rolled up")


def init_app(app) -> None:
    app.register_blueprint(bp)
    app.add_template_filter(duration, "report_duration")
    app.add_template_filter(lambda values, title, color=COLORS[0]: spark(
        values, title=title, color=color), "report_spark")
    ticket_changed.connect(jobs.on_ticket_changed, sender=app)
    app.cli.add_command(cli)
    navigation.add_entry(app, "reports.index", _l("Reports"), MANAGERS, order=60)
