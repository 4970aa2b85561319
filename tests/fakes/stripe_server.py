"""A local stand-in for the Stripe API: the Checkout Session endpoints the app uses.

It speaks Stripe's wire protocol — form-encoded requests with bracketed nested keys
(``line_items[0][price_data][unit_amount]=50000``), bearer-key auth, JSON responses and
Stripe-shaped errors — so the official ``stripe`` library runs unchanged against it
(``stripe.api_base = fake.url``). It also builds events and signs them with Stripe's
webhook scheme: ``Stripe-Signature: t=<unix time>,v1=<hex HMAC-SHA256(secret, "t.payload")>``.
"""
import hashlib
import hmac
import json
import re
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

_KEY = re.compile(r"([^\[\]]+)|\[([^\[\]]*)\]")


def decode_form(body: str) -> dict:
    """``a[b][0][c]=1`` → ``{"a": {"b": [{"c": "1"}]}}`` (Stripe's nested form encoding)."""
    root: dict = {}
    for raw_key, value in parse_qsl(body, keep_blank_values=True):
        parts = [m.group(1) if m.group(1) is not None else m.group(2)
                 for m in _KEY.finditer(raw_key)]
        node = root
        for part, nxt in zip(parts, parts[1:], strict=False):
            if isinstance(node, list):
                index = int(part)
                while len(node) <= index:
                    node.append({} if not nxt.isdigit() else [])
                node = node[index]
            else:
                node = node.setdefault(part, [] if nxt.isdigit() else {})
        last = parts[-1]
        if isinstance(node, list):
            index = int(last)
            while len(node) <= index:
                node.append(None)
            node[index] = value
        else:
            node[last] = value
    return root


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The ``Stripe-Signature`` header for ``payload``."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


class FakeStripe:
    """A threaded HTTP server holding Checkout Sessions in memory."""

    def __init__(self, api_key: str = "sk_test_fake"):
        self.api_key = api_key
        self.sessions: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeStripe":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- what the tests drive -------------------------------------------------------
    def pay(self, session_id: str, payment_status: str = "paid") -> dict:
        """The customer completes the payment page."""
        with self.lock:
            session = self.sessions[session_id]
            session["status"] = "complete"
            session["payment_status"] = payment_status
            return dict(session)

    def event(self, event_type: str, session_id: str, *, event_id: str | None = None,
              session: dict | None = None) -> str:
        """A Stripe event about a session, as the JSON body Stripe would POST."""
        obj = session or dict(self.sessions[session_id])
        return json.dumps({
            "id": event_id or "evt_" + secrets.token_hex(12), "object": "event",
            "api_version": "2024-06-20", "created": int(time.time()), "livemode": False,
            "type": event_type, "data": {"object": obj}, "pending_webhooks": 1,
            "request": {"id": None, "idempotency_key": None},
        })

    # --- the HTTP side ----------------------------------------------------------------
    def _create_session(self, params: dict) -> tuple[int, dict]:
        items = params.get("line_items") or []
        if params.get("mode") not in ("payment", "subscription", "setup"):
            return 400, _error("Missing required param: mode.", "mode")
        if not items:
            return 400, _error("Missing required param: line_items.", "line_items")
        total, currency = 0, None
        for item in items:
            price = item.get("price_data") or {}
            if not price.get("unit_amount") or not price.get("currency"):
                return 400, _error("line_items need price_data with unit_amount and currency",
                                   "line_items")
            total += int(price["unit_amount"]) * int(item.get("quantity", 1))
            currency = price["currency"]
        session_id = "cs_test_" + secrets.token_hex(16)
        session = {
            "id": session_id, "object": "checkout.session", "mode": params["mode"],
            "amount_total": total, "currency": currency, "status": "open",
            "payment_status": "unpaid", "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {}, "livemode": False,
            "created": int(time.time()),
            "success_url": params.get("success_url", "").replace("{CHECKOUT_SESSION_ID}",
                                                                 session_id),
            "cancel_url": params.get("cancel_url"),
            "url": f"{self.url}/c/pay/{session_id}",
        }
        with self.lock:
            self.sessions[session_id] = session
        return 200, session

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def _reply(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", "req_" + secrets.token_hex(8))
                self.end_headers()
                self.wfile.write(data)

            def _authorized(self) -> bool:
                if self.headers.get("Authorization") == f"Bearer {fake.api_key}":
                    return True
                self._reply(401, {"error": {"type": "invalid_request_error",
                                            "message": "Invalid API Key provided"}})
                return False

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                params = decode_form(body)
                fake.requests.append({"method": "POST", "path": self.path, "params": params,
                                      "content_type": self.headers.get("Content-Type")})
                if not self._authorized():
                    return
                if self.path == "/v1/checkout/sessions":
                    return self._reply(*fake._create_session(params))
                self._reply(404, _error(f"Unrecognized request URL (POST: {self.path})"))

            def do_GET(self):
                fake.requests.append({"method": "GET", "path": self.path})
                if not self._authorized():
                    return
                match = re.fullmatch(r"/v1/checkout/sessions/([\w-]+)", self.path.split("?")[0])
                if match:
                    with fake.lock:
                        session = fake.sessions.get(match.group(1))
                    if session is None:
                        return self._reply(404, _error(
                            f"No such checkout.session: '{match.group(1)}'", "id",
                            code="resource_missing"))
                    return self._reply(200, session)
                self._reply(404, _error(f"Unrecognized request URL (GET: {self.path})"))

        return Handler


def _error(message: str, param: str | None = None, code: str | None = None) -> dict:
    error = {"type": "invalid_request_error", "message": message}
    if param:
        error["param"] = param
    if code:
        error["code"] = code
    return {"error": error}
