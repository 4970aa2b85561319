"""API: connect, state and figures, disconnect, and the ingestion log with retries."""
from typing import Literal

from flask import current_app, url_for
from pydantic import BaseModel, Field

from app.api.core import endpoint
from app.api.pagination import ListQuery, paginate
from app.mailbox import connect, log, retry
from app.mailbox.mailboxes import figures
from app.mailbox.models import LogEntry


class ConnectOut(BaseModel):
    authorize_url: str


class Progress(BaseModel):
    done: int
    total: int
    percent: int


class GmailOut(BaseModel):
    connected: bool
    email: str | None
    status: str
    last_sync_at: str | None
    lag_seconds: int | None
    progress: Progress | None
    imported: int
    skipped: int
    failed: int


class LogFilters(ListQuery):
    status: Literal["imported", "skipped", "failed"] | None = None


class LogEntryOut(BaseModel):
    id: int
    gmail_id: str
    message_id: str
    from_: str = Field(alias="from")
    subject: str
    status: str
    reason: str
    reason_text: str
    ticket_number: int | None
    attempts: int
    at: str


class LogPage(BaseModel):
    items: list[LogEntryOut]
    next_cursor: str | None


def callback_url() -> str:
    """Where Google sends the admin back: under BASE_URL, as registered with Google."""
    return current_app.config["BASE_URL"] + url_for("mailbox.callback")


@endpoint("/integrations/gmail", "POST", summary="Start connecting the tenant's Gmail (admin)",
          tag="integrations", response=ConnectOut, status=201, roles=("admin",),
          errors=(402, 403, 409))
def start(staff):
    return {"authorize_url": connect.start_connect(actor=staff, redirect_uri=callback_url())}


@endpoint("/integrations/gmail", "GET", summary="The Gmail mailbox: state, progress, figures",
          tag="integrations", response=GmailOut)
def state(staff):
    return figures().as_json()


@endpoint("/integrations/gmail", "DELETE",
          summary="Disconnect: revoke the token at Google and delete it (admin)",
          tag="integrations", status=204, roles=("admin",), errors=(403, 404))
def disconnect(staff):
    connect.disconnect(actor=staff)


@endpoint("/integrations/gmail/log", "GET",
          summary="The ingestion log: every message imported, skipped or failed, newest first",
          tag="integrations", query=LogFilters, response=LogPage, roles=("admin",))
def list_log(staff, query: LogFilters):
    return paginate(log.entries(actor=staff, status=query.status), LogEntry.id, query,
                    log.entry_json)


@endpoint("/integrations/gmail/log/<int:entry_id>/retry", "POST",
          summary="Fetch and import a failed message again (admin)", tag="integrations",
          status=202, response=LogEntryOut, roles=("admin",), errors=(403, 404, 409))
def retry_entry(staff, entry_id: int):
    return log.entry_json(retry.request_retry(actor=staff, entry_id=entry_id))
