"""The job queues in the console: depth per queue, failed jobs with their error, retry."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.operator import queues
from app.operator.access import bp, operator_page


@bp.get("/jobs")
@operator_page
def jobs():
    return render_template("operator/jobs.html", queues=queues.queue_states(),
                           failed=queues.failed_jobs())


@bp.post("/jobs/<job_id>/retry")
@operator_page
def retry(job_id: str):
    job = queues.retry_job(job_id[:100], source="console")
    flash(_("Job %(function)s is back on the %(queue)s queue.", function=job.function,
            queue=job.queue), "success")
    return redirect(url_for(".jobs"))
