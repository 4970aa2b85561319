"""Periodic jobs, declared as data for ``rq cron`` (loaded by ``flask --app wsgi cron``)."""
from rq.cron import register

from app.jobs.maintenance import heartbeat

# Every area adds its periodic work here, e.g. the daily charge at the start of each day.
register(heartbeat, queue_name="default", interval=300)
