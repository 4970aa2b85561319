"""Periodic jobs, declared as data for ``rq cron`` (loaded by ``flask --app wsgi cron``)."""
from rq.cron import register

from app.jobs.maintenance import heartbeat

# Every area adds its periodic work here, e.g. the daily charge at the start of each day.
register(heartbeat, queue_name="default", interval=300)

from billing.jobs import charge_day_job, release_deferred_job  # noqa: E402

register(charge_day_job, queue_name="default", cron="1 0 * * *")  # the daily charge, 00:01 UTC
register(release_deferred_job, queue_name="default", cron="5 * * * *")  # tenants' days start hourly

from app.sla.jobs import sweep_sla_breaches  # noqa: E402

register(sweep_sla_breaches, queue_name="default", interval=60)  # SLA breaches, every minute

from app.tickets.jobs import archive_closed_job  # noqa: E402

register(archive_closed_job, queue_name="default", cron="30 2 * * *")  # archive, 02:30 UTC
