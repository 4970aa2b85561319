"""Periodic jobs, declared as data for ``rq cron`` (loaded by ``flask --app wsgi cron``).

It names the jobs of several areas, so it sits at the top with the factory, not in
``app.jobs`` (the queue machinery every area and billing use)."""
from rq.cron import register

from app.jobs.maintenance import heartbeat
from app.kb.jobs import flush_views_job
from app.mailbox.jobs import schedule_syncs
from app.reports.jobs import rebuild_recent_job, refresh_marked_job, refresh_today_job
from app.sla.jobs import sweep_sla_breaches
from app.tickets.completion import complete_left_behind_job
from app.tickets.jobs import archive_closed_job
from app.widget.registration import register_left_behind_job
from billing.jobs import charge_day_job, release_deferred_job

register(heartbeat, queue_name="default", interval=300)
register(charge_day_job, queue_name="default", cron="1 0 * * *")  # the daily charge, 00:01 UTC
register(release_deferred_job, queue_name="default", cron="5 * * * *")  # tenants' days start hourly
register(sweep_sla_breaches, queue_name="default", interval=60)  # SLA breaches, every minute
register(archive_closed_job, queue_name="default", cron="30 2 * * *")  # archive, 02:30 UTC
register(complete_left_behind_job, queue_name="default", interval=60)  # tickets' completions
register(register_left_behind_job, queue_name="default", interval=60)  # widget requests
register(flush_views_job, queue_name="default", interval=60)  # KB page views, every minute
register(refresh_marked_job, queue_name="default", interval=60)  # report rollups of changed days
register(refresh_today_job, queue_name="default", interval=900)  # today's rollups (ratings)
register(rebuild_recent_job, queue_name="default", cron="20 1 * * *")  # last 35 days, nightly
register(schedule_syncs, queue_name="default", interval=60)  # Gmail: each mailbox, every minute
