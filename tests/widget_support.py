"""Helpers shared by the widget and spam tests (no tests here)."""
import hashlib
import hmac
import io
from urllib.parse import urlencode

from rq import Queue, SimpleWorker

from app.extensions import db
from tests.conftest import Api

SHOP = "https://shop.example"


class Site:
    """A tenant's widget as a visitor's browser on ``origin`` reaches it."""

    def __init__(self, api: Api, origin: str = SHOP):
        self.api, self.client, self.origin = api, api.client, origin
        self.key = api.get("/tenant").get_json()["widget_key"]

    def allow(self, *origins: str) -> "Site":
        response = self.api.patch("/widget", {"allowed_origins": list(origins or [self.origin])})
        assert response.status_code == 200, response.get_json()
        return self

    def headers(self, origin: str | None = None) -> dict:
        origin = self.origin if origin is None else origin
        return {"Origin": origin} if origin else {}

    def get(self, path: str, origin: str | None = None, **kw):
        return self.client.get(f"/widget/{self.key}{path}", headers=self.headers(origin), **kw)

    def post(self, payload: dict | None = None, origin: str | None = None, query: str = "",
             **kw):
        payload = {"name": "Bob Buyer", "email": "bob@client.example",
                   "subject": "Printer jams", "body": "Page 2 always jams."} | (payload or {})
        return self.client.post(f"/widget/{self.key}/tickets{query}", json=payload,
                                headers=self.headers(origin), **kw)

    def send(self, fields: dict | None = None, query: str = "?language=en", **kw):
        """As the widget sends a request without files: its fields and the empty honeypot,
        urlencoded, to ``tickets?language=…``."""
        fields = {"name": "Bob Buyer", "email": "bob@client.example", "subject": "Printer jams",
                  "body": "Page 2 always jams."} | (fields or {})
        headers = self.headers() | kw.pop("headers", {})
        return self.client.post(f"/widget/{self.key}/tickets{query}",
                                data=urlencode(fields | {"website": fields.get("website", "")}),
                                content_type="application/x-www-form-urlencoded;charset=UTF-8",
                                headers=headers, **kw)

    def post_form(self, fields: dict, files: list[tuple[bytes, str]] = (), **kw):
        data = dict(fields)
        data["attachments"] = [(io.BytesIO(content), name) for content, name in files]
        return self.client.post(f"/widget/{self.key}/tickets", data=data,
                                content_type="multipart/form-data", headers=self.headers(),
                                **kw)


def mail_queue(app) -> Queue:
    return Queue("mail", connection=app.extensions["redis"])


def signature(secret: str, email: str) -> str:
    return hmac.new(secret.encode(), email.lower().encode(), hashlib.sha256).hexdigest()


def complete_requests(app) -> None:
    """Run the jobs that complete registered requests (and whatever else waits on the
    ``default`` queue), as the worker does right after the request's commit."""
    redis = app.extensions["redis"]
    with app.app_context():
        try:
            SimpleWorker([Queue("default", connection=redis)], connection=redis).work(burst=True)
        finally:
            db.session.remove()


def letters_of(app, kind: str) -> list:
    """The ticket letters of ``kind`` ("receipt", …) waiting to be sent, as ``(ticket id,
    details)``. A new ticket's letters wait as one job, which queues its receipt first."""
    redis = app.extensions["redis"]
    letters = []
    for name in ("notifications", "mail"):
        for job in Queue(name, connection=redis).jobs:
            if job.func_name.endswith("send_ticket_letter") and job.args[1] == kind:
                letters.append((job.args[2], job.args[3]))
            elif job.func_name.endswith("letters_of_new_ticket") and kind == "receipt":
                letters.append((job.args[1], {"language": job.args[2]}))
    return letters
