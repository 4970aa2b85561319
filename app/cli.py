"""Flask commands: worker, cron, demo seeding and operator tools."""
import click
from flask import current_app
from flask.cli import with_appcontext
from rq import SimpleWorker
from rq.cron import CronScheduler

from app.demo import DEMO_PASSWORD, seed
from app.jobs import QUEUES, queue
from app.mailbox.commands import mail


def register_cli(app) -> None:
    app.cli.add_command(worker)
    app.cli.add_command(cron)
    app.cli.add_command(seed_demo)
    app.cli.add_command(mail)  # flask mail sync (Gmail)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@with_appcontext
def worker(burst: bool) -> None:
    """Run an RQ worker for all queues, with the scheduler."""
    # SimpleWorker runs jobs in this process, inside the app context set up here,
    # so each job does not re-create the app or share forked database connections.
    w = SimpleWorker([queue(name) for name in QUEUES],
                     connection=current_app.extensions["redis"])
    w.work(burst=burst, with_scheduler=True)


@click.command("cron")
@with_appcontext
def cron() -> None:
    """Run the periodic scheduler (rq cron) with the jobs in app/schedule.py."""
    scheduler = CronScheduler(connection=current_app.extensions["redis"])
    scheduler.load_config_from_file("app.schedule")
    scheduler.start()


@click.command("seed-demo")
@with_appcontext
def seed_demo() -> None:
    """Create the demo tenant (idempotent) and print its logins."""
    tenant, created = seed()
    click.echo(("Created" if created else "Found") + f" demo tenant '{tenant.slug}'.")
    base = current_app.config["BASE_URL"]
    click.echo(f"Log in at {base}/t/{tenant.slug}/login with password {DEMO_PASSWORD}:")
    for email, role in (("admin@demo.example", "admin"), ("agent@demo.example", "agent")):
        click.echo(f"  {role:8} {email}")
