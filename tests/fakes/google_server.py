"""A local stand-in for Google: OAuth (consent, token with the PKCE check, revoke) and the
part of the Gmail REST API the app uses (profile, messages.list/get/send/modify/batchModify,
labels.list/create, history.list with expiry, and the batch endpoint), driven by the real
google-api-python-client and google-auth-oauthlib.

``with FakeGoogle() as google:`` — ``google.config()`` gives the app settings that point at
it; ``google.add_account(email)``, ``google.deliver(email, raw)`` put mail in a mailbox;
``google.consent(authorize_url, email)`` plays the admin clicking "Allow" and returns the
address Google would send the browser back to. Faults: ``fail_next(status, n)`` answers the
next n Gmail calls with ``status``; ``failing_ids`` answers those messages' gets with 500;
``expire_history(email)`` makes older history ids 404; ``kill_tokens(email)`` makes the
account's refresh tokens ``invalid_grant``; ``refuse_labels = status`` answers labels.*
and messages.batchModify with that status (the other calls go on).
"""
import base64
import hashlib
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlencode, urlparse

CLIENT_ID, CLIENT_SECRET = "fake-client.apps.example", "fake-secret"


@dataclass
class Stored:
    id: str
    thread_id: str
    raw: bytes
    labels: list[str]
    history_id: int


@dataclass
class Account:
    email: str
    messages: dict[str, Stored] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    history: list[tuple[int, str]] = field(default_factory=list)  # (history id, message id)
    history_floor: int = 0
    sent: list[dict] = field(default_factory=list)
    labels: dict[str, dict] = field(default_factory=lambda: {
        name: {"id": name, "name": name, "type": "system"}
        for name in ("INBOX", "SENT", "SPAM", "TRASH", "UNREAD", "IMPORTANT")})


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


class FakeGoogle:
    def __init__(self):
        self.accounts: dict[str, Account] = {}
        self.codes: dict[str, dict] = {}
        self.refresh: dict[str, str] = {}  # live refresh token -> account email
        self.access: dict[str, str] = {}
        self.revoked: list[str] = []
        self.failures: list[int] = []
        self.failing_ids: set[str] = set()
        self.refuse_labels: int | None = None
        self.calls: list[str] = []
        self.token_calls = 0
        self.batch_delay = 0.0  # seconds each batch takes (to catch a sync half way)
        self.browser_account = "support@shop.example"  # who "allows" on the consent page
        self.next_history = 1000
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- life ------------------------------------------------------------------------------
    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def config(self) -> dict:
        return {"GOOGLE_CLIENT_ID": CLIENT_ID, "GOOGLE_CLIENT_SECRET": CLIENT_SECRET,
                "GOOGLE_AUTH_URI": self.url + "/o/oauth2/auth",
                "GOOGLE_TOKEN_URI": self.url + "/token",
                "GOOGLE_REVOKE_URI": self.url + "/revoke",
                "GMAIL_API_ENDPOINT": self.url}

    # -- mailboxes -------------------------------------------------------------------------
    def add_account(self, email: str) -> Account:
        return self.accounts.setdefault(email, Account(email))

    def _history_id(self) -> int:
        self.next_history += 1
        return self.next_history

    def deliver(self, email: str, raw: bytes, *, thread_id: str | None = None,
                labels=("INBOX",)) -> str:
        with self.lock:
            account = self.add_account(email)
            message_id = f"m{secrets.token_hex(6)}"
            history = self._history_id()
            # Like Gmail, a thread is named after its first message.
            account.messages[message_id] = Stored(message_id, thread_id or message_id,
                                                  bytes(raw), list(labels), history)
            account.order.append(message_id)
            account.history.append((history, message_id))
            return message_id

    def thread_of(self, email: str, message_id: str) -> str:
        return self.accounts[email].messages[message_id].thread_id

    def expire_history(self, email: str) -> None:
        account = self.accounts[email]
        account.history_floor = self.next_history

    def kill_tokens(self, email: str) -> None:
        for token in [t for t, who in self.refresh.items() if who == email]:
            del self.refresh[token]

    def fail_next(self, status: int, times: int = 1) -> None:
        self.failures.extend([status] * times)

    # -- OAuth -----------------------------------------------------------------------------
    def consent(self, authorize_url: str, email: str) -> str:
        """The user allows access: the address the browser is sent back to."""
        query = {k: v[0] for k, v in parse_qs(urlparse(authorize_url).query).items()}
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query.get("code_challenge_method") == "S256" and query.get("code_challenge")
        assert query.get("access_type") == "offline"
        self.add_account(email)
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"email": email, "challenge": query["code_challenge"],
                            "redirect_uri": query["redirect_uri"], "scope": query["scope"]}
        return query["redirect_uri"] + "?" + urlencode({"state": query["state"], "code": code,
                                                        "scope": query["scope"]})

    def _token(self, form: dict) -> tuple[int, dict]:
        self.token_calls += 1
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(form.get("code", ""), None)
            verifier = form.get("code_verifier", "")
            challenge = base64.urlsafe_b64encode(
                hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
            if grant is None or grant["redirect_uri"] != form.get("redirect_uri") \
                    or challenge != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "Bad code"}
            refresh = "r-" + secrets.token_urlsafe(24)
            self.refresh[refresh] = grant["email"]
            return 200, self._access(grant["email"], scope=grant["scope"], refresh=refresh)
        if form.get("grant_type") == "refresh_token":
            email = self.refresh.get(form.get("refresh_token", ""))
            if email is None:
                return 400, {"error": "invalid_grant",
                             "error_description": "Token has been expired or revoked."}
            return 200, self._access(email)
        return 400, {"error": "unsupported_grant_type"}

    def _access(self, email: str, scope: str | None = None, refresh: str | None = None) -> dict:
        token = "a-" + secrets.token_urlsafe(24)
        self.access[token] = email
        body = {"access_token": token, "expires_in": 3600, "token_type": "Bearer",
                "scope": scope or "https://www.googleapis.com/auth/gmail.modify"}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def _revoke(self, token: str) -> tuple[int, dict]:
        if token in self.refresh:
            del self.refresh[token]
            self.revoked.append(token)
            return 200, {}
        if token in self.access:
            del self.access[token]
            return 200, {}
        return 400, {"error": "invalid_token"}

    # -- Gmail -----------------------------------------------------------------------------
    def gmail(self, method: str, path: str, query: dict, body: bytes,
              auth: str) -> tuple[int, dict]:
        self.calls.append(f"{method} {path}")
        if self.failures:
            return self.failures.pop(0), {"error": {"code": 0, "message": "injected"}}
        email = self.access.get(auth.removeprefix("Bearer ").strip())
        if email is None:
            return 401, {"error": {"code": 401, "message": "Invalid Credentials"}}
        account = self.accounts[email]
        route = path.removeprefix("/gmail/v1/users/me")
        with self.lock:
            return self._route(account, method, route, query, body)

    def _route(self, account: Account, method: str, route: str, query: dict,
               body: bytes) -> tuple[int, dict]:
        if route.startswith("/labels") or route == "/messages/batchModify":
            return self._labels(account, method, route, json.loads(body or b"{}"))
        if route == "/profile":
            return 200, {"emailAddress": account.email, "messagesTotal": len(account.order),
                         "threadsTotal": len(account.order), "historyId": str(self.next_history)}
        if route == "/messages" and method == "GET":
            inbox = [i for i in reversed(account.order)
                     if "INBOX" in account.messages[i].labels]
            start = int(query.get("pageToken") or 0)
            size = min(int(query.get("maxResults") or 100), 500)
            page = inbox[start:start + size]
            answer = {"messages": [{"id": i, "threadId": account.messages[i].thread_id}
                                   for i in page], "resultSizeEstimate": len(inbox)}
            if start + size < len(inbox):
                answer["nextPageToken"] = str(start + size)
            return 200, answer
        if route == "/messages/send" and method == "POST":
            payload = json.loads(body or b"{}")
            raw = base64.urlsafe_b64decode(payload["raw"].encode())
            message_id = f"s{secrets.token_hex(6)}"
            thread = payload.get("threadId") or message_id
            history = self._history_id()
            account.messages[message_id] = Stored(message_id, thread, raw, ["SENT"], history)
            account.order.append(message_id)
            account.history.append((history, message_id))
            account.sent.append({"id": message_id, "threadId": thread, "raw": raw,
                                 "message": message_from_bytes(raw)})
            return 200, {"id": message_id, "threadId": thread, "labelIds": ["SENT"]}
        match = re.fullmatch(r"/messages/([\w-]+)(/modify)?", route)
        if match:
            stored = account.messages.get(match.group(1))
            if stored is None:
                return 404, {"error": {"code": 404, "message": "Requested entity was not found."}}
            if match.group(2):
                payload = json.loads(body or b"{}")
                stored.labels = [x for x in stored.labels if x not in
                                 payload.get("removeLabelIds", [])] + payload.get("addLabelIds", [])
            elif stored.id in self.failing_ids:
                return 500, {"error": {"code": 500, "message": "Backend Error"}}
            return 200, {"id": stored.id, "threadId": stored.thread_id, "labelIds": stored.labels,
                         "historyId": str(stored.history_id), "raw": _b64(stored.raw)}
        if route == "/history":
            start = int(query.get("startHistoryId") or 0)
            if start < account.history_floor:
                return 404, {"error": {"code": 404, "message": "Requested entity was not found."}}
            records = [(h, m) for h, m in account.history if h > start]
            offset = int(query.get("pageToken") or 0)
            size = min(int(query.get("maxResults") or 100), 500)
            page = records[offset:offset + size]
            answer = {"historyId": str(self.next_history), "history": [
                {"id": str(h), "messagesAdded": [{"message": {
                    "id": m, "threadId": account.messages[m].thread_id,
                    "labelIds": account.messages[m].labels}}]} for h, m in page]}
            if offset + size < len(records):
                answer["nextPageToken"] = str(offset + size)
            return 200, answer
        return 404, {"error": {"code": 404, "message": f"no route {route}"}}

    def _labels(self, account: Account, method: str, route: str,
                payload: dict) -> tuple[int, dict]:
        if self.refuse_labels:
            return self.refuse_labels, {"error": {"code": self.refuse_labels,
                                                  "message": "injected"}}
        if route == "/labels" and method == "GET":
            return 200, {"labels": list(account.labels.values())}
        if route == "/labels" and method == "POST":
            name = str(payload.get("name", "")).strip()
            if not name or any(x["name"].casefold() == name.casefold()
                               for x in account.labels.values()):
                return 409, {"error": {"code": 409, "message": "Label name exists or conflicts"}}
            label = {"id": f"Label_{secrets.token_hex(4)}", "name": name, "type": "user",
                     "labelListVisibility": payload.get("labelListVisibility", "labelShow"),
                     "messageListVisibility": payload.get("messageListVisibility", "show")}
            account.labels[label["id"]] = label
            return 200, label
        if route == "/messages/batchModify" and method == "POST":
            ids, add = payload.get("ids", []), payload.get("addLabelIds", [])
            if not ids or len(ids) > 1000 or any(x not in account.labels for x in add):
                return 400, {"error": {"code": 400, "message": "Invalid label or ids"}}
            for message_id in ids:
                stored = account.messages.get(message_id)
                if stored is not None:
                    stored.labels = [x for x in stored.labels if x not in
                                     payload.get("removeLabelIds", [])] + \
                        [x for x in add if x not in stored.labels]
            return 204, {}
        return 404, {"error": {"code": 404, "message": f"no route {route}"}}

    def batch(self, content_type: str, body: bytes) -> tuple[int, bytes, str]:
        self.calls.append("POST /batch/gmail/v1")
        if self.batch_delay:
            time.sleep(self.batch_delay)
        if self.failures:
            return self.failures.pop(0), b'{"error": {"message": "injected"}}', "application/json"
        message = message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n"
                                     + body)
        boundary = "batch_" + secrets.token_hex(8)
        parts = []
        for part in message.get_payload():
            inner = part.get_payload()
            request_line, rest = inner.split("\n", 1)
            method, target, _version = request_line.split(" ", 2)
            headers = message_from_bytes(rest.encode())
            parsed = urlparse(target)
            query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
            status, answer = self.gmail(method, parsed.path, query, b"",
                                        headers.get("authorization", ""))
            content_id = part["Content-ID"].strip("<>")
            parts.append(f"--{boundary}\r\nContent-Type: application/http\r\n"
                         f"Content-ID: <response-{content_id}>\r\n\r\n"
                         f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n\r\n"
                         f"{json.dumps(answer)}\r\n")
        payload = "".join(parts) + f"--{boundary}--\r\n"
        return 200, payload.encode(), f"multipart/mixed; boundary={boundary}"

    # -- HTTP ------------------------------------------------------------------------------
    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # The headers and the body leave in two writes: with Nagle's algorithm the body
            # would wait for the client's delayed acknowledgement (40 ms a call).
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def _send(self, status: int, body, content_type="application/json"):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                data = b"" if status == 204 else data  # No Content, as Google answers
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _body(self) -> bytes:
                length = int(self.headers.get("Content-Length") or 0)
                return self.rfile.read(length) if length else b""

            def _dispatch(self, method: str):
                parsed = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(parsed.query).items()}
                body = self._body()
                if parsed.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
                    basic = self.headers.get("Authorization", "")
                    if basic.startswith("Basic "):  # client credentials in the header
                        user, _, password = base64.b64decode(basic[6:]).decode().partition(":")
                        form |= {"client_id": unquote(user), "client_secret": unquote(password)}
                    return self._send(*fake._token(form))
                if parsed.path == "/revoke":
                    form = {k: v[0] for k, v in parse_qs(body.decode()).items()} | query
                    return self._send(*fake._revoke(form.get("token", "")))
                if parsed.path == "/batch/gmail/v1":
                    status, data, kind = fake.batch(self.headers.get("Content-Type", ""), body)
                    return self._send(status, data, kind)
                if parsed.path.startswith("/gmail/v1/users/me"):
                    return self._send(*fake.gmail(method, parsed.path, query, body,
                                                  self.headers.get("Authorization", "")))
                return self._send(404, {"error": "not found"})

            def do_GET(self):
                if self.path.startswith("/o/oauth2/auth"):  # the consent screen: "Allow"
                    back = fake.consent(fake.url + self.path, fake.browser_account)
                    self.send_response(302)
                    self.send_header("Location", back)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self._dispatch("GET")

            def do_POST(self):
                self._dispatch("POST")

        return Handler
