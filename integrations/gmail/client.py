"""The Gmail API through google-api-python-client.

``build('gmail', 'v1', static_discovery=True, client_options={'api_endpoint': …})`` points
the client at ``GMAIL_API_ENDPOINT`` (Google's by default, a local fake in tests). Batches
need their own address: ``Batch(batch_uri=endpoint + '/batch/gmail/v1')`` (the library's
``BatchHttpRequest``, its wire text written by hand: see ``batch``), or they would still go
to Google's host.

Google's refusals are sorted here: ``Retryable`` (429, 5xx, a rate-limit 403, timeouts and
dropped connections — try again later), ``HistoryExpired`` (404 from history.list: the
stored history id is too old, a full sync is due), ``DeadToken`` (from ``oauth``), and
anything else as ``GmailError``.
"""
import base64
import socket
from collections.abc import Iterator
from dataclasses import dataclass

import google_auth_httplib2
import httplib2
from flask import current_app
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from integrations.gmail.batch import Batch
from integrations.gmail.oauth import DeadToken, is_dead

GOOGLE_ENDPOINT = "https://gmail.googleapis.com"
BATCH_SIZE = 50  # Google's advice for Gmail batches (the hard limit is 100)
PAGE_SIZE = 500  # messages.list's largest page
TIMEOUT = 30
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


class GmailError(RuntimeError):
    """Google answered with an error that trying again will not fix."""

    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status


class Retryable(GmailError):
    """Google is busy or unreachable (429, 5xx, timeouts): back off and try again."""


class HistoryExpired(GmailError):
    """history.list no longer reaches back to the stored history id (404)."""


def endpoint() -> str:
    return (current_app.config.get("GMAIL_API_ENDPOINT") or GOOGLE_ENDPOINT).rstrip("/")


def _rate_limited(exc: HttpError) -> bool:
    text = str(getattr(exc, "content", b"") or b"")
    return exc.resp.status == 403 and ("rateLimitExceeded" in text
                                       or "userRateLimitExceeded" in text)


def translate(exc: BaseException) -> BaseException:
    """The exception this module raises for what the client library raised."""
    if isinstance(exc, HttpError):
        status = exc.resp.status
        message = f"Gmail answered {status}: {exc.reason or exc}"[:500]
        if status in RETRYABLE_STATUSES or _rate_limited(exc):
            return Retryable(message, status)
        return GmailError(message, status)
    if isinstance(exc, RefreshError):
        if is_dead(exc):
            return DeadToken(str(exc)[:500])
        return Retryable(f"token refresh failed: {exc}"[:500])
    if isinstance(exc, (TransportError, TimeoutError, socket.timeout, ConnectionError,
                        OSError, httplib2.HttpLib2Error)):
        return Retryable(f"{exc.__class__.__name__}: {exc}"[:500])
    return exc


@dataclass
class Fetched:
    """One message from messages.get (format=raw), or the error that kept it."""

    gmail_id: str
    raw: bytes | None = None
    thread_id: str = ""
    labels: tuple[str, ...] = ()
    history_id: str = ""
    error: BaseException | None = None


_RESOURCES: dict[str, tuple] = {}  # endpoint -> (users, messages, history, labels)


def _resources() -> tuple:
    """The API's resources, built once per process and endpoint: the client builds every
    method anew on each resource call, which costs more than an idle sync's whole request.
    They are built with no credentials; each request runs on the mailbox's own ``http``."""
    where = endpoint()
    if where not in _RESOURCES:
        service = build("gmail", "v1", http=httplib2.Http(timeout=TIMEOUT),
                        static_discovery=True, cache_discovery=False,
                        client_options={"api_endpoint": where})
        users = service.users()
        _RESOURCES[where] = (users, users.messages(), users.history(), users.labels())
    return _RESOURCES[where]


class Gmail:
    """One mailbox's API, authorized by ``credentials`` (refreshed when needed)."""

    def __init__(self, credentials):
        self.credentials = credentials
        self.http = google_auth_httplib2.AuthorizedHttp(
            credentials, http=httplib2.Http(timeout=TIMEOUT))
        self.users, self.messages, self.history_api, self.labels_api = _resources()

    def _run(self, request):
        try:
            return request.execute(http=self.http)
        except Exception as exc:  # the library's errors, sorted into ours
            raise translate(exc) from exc

    def profile(self) -> dict:
        """``{emailAddress, messagesTotal, threadsTotal, historyId}``"""
        return self._run(self.users.getProfile(userId="me"))

    def list_ids(self, *, query: str, page_token: str | None = None
                 ) -> tuple[list[str], str | None, int]:
        """One page of messages.list: (ids, next page token, Gmail's estimate of the total)."""
        page = self._run(self.messages.list(
            userId="me", q=query, pageToken=page_token or None, maxResults=PAGE_SIZE,
            includeSpamTrash=False))
        ids = [m["id"] for m in page.get("messages", [])]
        return ids, page.get("nextPageToken"), int(page.get("resultSizeEstimate") or 0)

    def history(self, *, start: str, page_token: str | None = None
                ) -> tuple[list[str], str | None, str]:
        """One page of history.list since ``start``: (added message ids, next page token,
        the mailbox's current history id). ``HistoryExpired`` when ``start`` is too old."""
        try:
            page = self._run(self.history_api.list(
                userId="me", startHistoryId=start, pageToken=page_token or None,
                historyTypes="messageAdded", maxResults=PAGE_SIZE))
        except GmailError as exc:
            if exc.status == 404:
                raise HistoryExpired(str(exc), 404) from exc
            raise
        ids: list[str] = []
        for record in page.get("history", []):
            for added in record.get("messagesAdded", []):
                message_id = added.get("message", {}).get("id")
                if message_id and message_id not in ids:
                    ids.append(message_id)
        return ids, page.get("nextPageToken"), str(page.get("historyId") or start)

    def fetch(self, ids: list[str]) -> Iterator[Fetched]:
        """The messages (format=raw), ``BATCH_SIZE`` to a batch; a batch that fails as a
        whole raises, a message that fails alone comes back with its ``error``."""
        for start in range(0, len(ids), BATCH_SIZE):
            chunk = ids[start:start + BATCH_SIZE]
            got: dict[str, Fetched] = {}

            def keep(request_id, response, exception, got=got):
                if exception is not None:
                    got[request_id] = Fetched(request_id, error=translate(exception))
                    return
                try:
                    raw = base64.urlsafe_b64decode(response.get("raw", "").encode())
                except (ValueError, TypeError) as exc:
                    got[request_id] = Fetched(request_id, error=exc)
                    return
                got[request_id] = Fetched(request_id, raw, response.get("threadId", ""),
                                          tuple(response.get("labelIds", [])),
                                          str(response.get("historyId", "")))

            batch = Batch(callback=keep, batch_uri=endpoint() + "/batch/gmail/v1")
            for gmail_id in chunk:
                request = self.messages.get(userId="me", id=gmail_id, format="raw")
                request.http = self.http  # its part carries this mailbox's credentials
                batch.add(request, request_id=gmail_id)
            self._run_batch(batch)
            for gmail_id in chunk:
                yield got.get(gmail_id) or Fetched(gmail_id, error=Retryable("no answer"))

    def _run_batch(self, batch) -> None:
        try:
            batch.execute(http=self.http)
        except Exception as exc:
            raise translate(exc) from exc

    def fetch_one(self, gmail_id: str) -> Fetched:
        return next(self.fetch([gmail_id]))

    def send(self, raw: bytes, *, thread_id: str | None = None) -> dict:
        """messages.send of a whole MIME letter, in ``thread_id`` when given:
        ``{id, threadId, labelIds}``."""
        body = {"raw": base64.urlsafe_b64encode(raw).decode()}
        if thread_id:
            body["threadId"] = thread_id
        return self._run(self.messages.send(userId="me", body=body))

    def label(self, gmail_id: str, *, add: list[str] = (), remove: list[str] = ()) -> dict:
        return self._run(self.messages.modify(
            userId="me", id=gmail_id, body={"addLabelIds": list(add),
                                            "removeLabelIds": list(remove)}))

    def labels(self) -> list[dict]:
        """labels.list: the mailbox's labels, ``[{id, name, type}, …]``."""
        return self._run(self.labels_api.list(userId="me")).get("labels", [])

    def create_label(self, name: str) -> dict:
        """labels.create of a user label shown in the label list: ``{id, name, …}``."""
        return self._run(self.labels_api.create(userId="me", body={
            "name": name, "labelListVisibility": "labelShow",
            "messageListVisibility": "show"}))

    def batch_modify(self, ids: list[str], *, add: list[str] = (),
                     remove: list[str] = ()) -> None:
        """messages.batchModify: labels added to and removed from up to 1,000 messages in
        one call."""
        self._run(self.messages.batchModify(userId="me", body={
            "ids": list(ids), "addLabelIds": list(add), "removeLabelIds": list(remove)}))
