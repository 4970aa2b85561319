"""send_mail: the one way the app sends a letter (queued, then delivered by a job)."""
import logging

from app.events.service import record_event
from app.jobs import enqueue, tenant_job
from integrations.mail.sender import build_message, deliver

log = logging.getLogger(__name__)


def send_mail(*, tenant_id: int, to: list[str], subject: str, text: str,
              html: str | None = None, kind: str = "letter") -> None:
    """Queue a letter on the ``mail`` queue; the web request never talks SMTP."""
    enqueue(deliver_letter, tenant_id, list(to), str(subject), str(text),
            str(html) if html else None, kind, queue_name="mail")


@tenant_job
def deliver_letter(tenant_id: int, to: list[str], subject: str, text: str,
                   html: str | None, kind: str) -> str:
    """Job: deliver one letter and note it in the event log (RQ retries a failed send)."""
    where = deliver(build_message(to=to, subject=subject, text=text, html=html))
    log.info("%s letter to %s via %s", kind, ", ".join(to), where)
    record_event(None, "mail.sent", None, {"kind": kind, "to": to, "subject": subject})
    return where
