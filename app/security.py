"""Security headers on every response: one list per endpoint, worked out once and kept.

* Content-Security-Policy (``CSP``): scripts, styles, fonts and XHR only from our own origin —
  no ``unsafe-inline``, no ``unsafe-eval``; pages behave through the files in ``static/js``
  (``data-confirm`` buttons, the htmx settings in ``base.html``'s ``htmx-config`` meta tag).
  A template with an ``on…=`` attribute, an inline ``<script>`` or a ``style=`` attribute would
  be refused by the browser; ``tests/test_security_headers.py`` scans every template for them.
* ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``: no page can be framed…
* …except where a blueprint or a view says otherwise with :func:`relax` (the website widget and
  the public knowledge base will be framed on customers' sites)::

      security.relax(widget_bp, frame_ancestors="*")          # a whole blueprint

      @bp.get("/embed")
      @security.relax(frame_ancestors="https://partner.example")  # one view
      def embed(): ...

* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``,
  ``Permissions-Policy: browsing-topics=()`` (no interest groups from our pages).
* ``Strict-Transport-Security`` only when ``BASE_URL`` is https, on every response whatever
  the scheme of the request: behind a TLS proxy that doesn't forward the scheme the app never
  sees https, and a browser ignores HSTS received over plain http (RFC 6797, 8.1). Nothing
  redirects to https: the embedded default and the tests run on plain http, and in
  production the proxy in front terminates TLS.

A response that sets its own Content-Security-Policy keeps it (attachment downloads send the
stricter ``default-src 'none'; sandbox``).

The headers depend on the endpoint only, so :func:`headers_for` computes them once per
endpoint (the app-wide policy, then the relaxations of the endpoint's blueprints, outermost
first, then its view's) and one after-request hook adds the cached list. Cookies are the
app's own business (app/__init__.py, app/config.py: Secure with an https BASE_URL).

Left out on purpose: ``form-action`` — the card top-up form is answered with a redirect to the
payment provider's checkout page, and browsers apply ``form-action`` to that redirect too.
"""
from flask import Blueprint, current_app, request

# The policy of every page unless relax() says otherwise. Images may also come from https
# sites: a message's HTML keeps <img src="https://…"> (see app/tickets/sanitize.py).
CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' https:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
}
REFERRER_POLICY = "strict-origin-when-cross-origin"
PERMISSIONS_POLICY = "browsing-topics=()"
HSTS_MAX_AGE = 365 * 24 * 3600
CSP_HEADER = "Content-Security-Policy"
# Everything this module sets, lower-cased: a response carrying none of them gets the list
# appended as it is.
_OURS = frozenset({"permissions-policy", "x-frame-options", "x-content-type-options",
                   "content-security-policy", "strict-transport-security", "referrer-policy"})

# Blueprint name -> its relaxation, filled by relax(blueprint, …). A relaxation is a dict:
# "csp" (the whole policy) and, where frame-ancestors changed, "frame_options": None.
_BLUEPRINT_RELAXATIONS: dict[str, dict] = {}
_VIEW_ATTRIBUTE = "security_relaxation"


def relax(target=None, /, **directives):
    """Loosen the policy for a blueprint or one view: CSP directives by name, ``_`` for ``-``
    (``frame_ancestors="*"``, ``connect_src="'self' https://api.example"``); ``None`` drops a
    directive. Changing ``frame_ancestors`` also drops X-Frame-Options there (it cannot list
    several sites; browsers that know CSP ignore it anyway). Call it with the blueprint, or use
    it as a decorator on a view (above or below the route decorator). Each call starts from
    the app-wide policy; the innermost relaxation's policy wins."""
    changes = {name.replace("_", "-"): value for name, value in directives.items()}
    policy = {name: value for name, value in {**CSP, **changes}.items() if value is not None}
    relaxation: dict = {"csp": policy}
    if "frame-ancestors" in changes:
        relaxation["frame_options"] = None

    def apply(obj):
        if isinstance(obj, Blueprint):
            _BLUEPRINT_RELAXATIONS[obj.name] = relaxation
        else:
            setattr(obj, _VIEW_ATTRIBUTE, {**getattr(obj, _VIEW_ATTRIBUTE, {}), **relaxation})
        return obj

    return apply if target is None else apply(target)


def _blueprints(endpoint: str | None) -> list[str]:
    """The endpoint's blueprint and its parents, innermost first (``request.blueprints``)."""
    if not endpoint or "." not in endpoint:
        return []
    parts = endpoint.rpartition(".")[0].split(".")
    return [".".join(parts[:i]) for i in range(len(parts), 0, -1)]


def _policy_text(policy: dict) -> str:
    return "; ".join(f"{name} {value if isinstance(value, str) else ' '.join(value)}"
                     for name, value in policy.items())


class SecurityHeaders:
    """The headers of one app, cached per endpoint (``None``: a request no route matched)."""

    def __init__(self, app) -> None:
        self.app = app
        self.hsts = app.config.get("BASE_URL", "").startswith("https://")
        self._cache: dict[str | None, tuple[tuple[str, str], ...]] = {}

    def for_endpoint(self, endpoint: str | None) -> tuple[tuple[str, str], ...]:
        headers = self._cache.get(endpoint)
        if headers is None:
            headers = self._compute(endpoint)
            if endpoint is None or endpoint in self.app.view_functions:  # not a name to come
                self._cache[endpoint] = headers
        return headers

    def _compute(self, endpoint: str | None) -> tuple[tuple[str, str], ...]:
        options = {"csp": CSP, "frame_options": "DENY"}
        for name in reversed(_blueprints(endpoint)):  # the outermost first; nested ones win
            options.update(_BLUEPRINT_RELAXATIONS.get(name, {}))
        view = self.app.view_functions.get(endpoint) if endpoint else None
        options.update(getattr(view, _VIEW_ATTRIBUTE, {}))
        headers = [("Permissions-Policy", PERMISSIONS_POLICY)]
        if options["frame_options"]:
            headers.append(("X-Frame-Options", options["frame_options"]))
        headers.append(("X-Content-Type-Options", "nosniff"))
        if options["csp"]:
            headers.append((CSP_HEADER, _policy_text(options["csp"])))
        if self.hsts:
            headers.append(("Strict-Transport-Security", f"max-age={HSTS_MAX_AGE}"))
        headers.append(("Referrer-Policy", REFERRER_POLICY))
        return tuple(headers)

    def add_to(self, response):
        """The after-request hook: the endpoint's headers, a policy of the response's own kept."""
        pairs = self.for_endpoint(request.endpoint)
        headers = response.headers
        if all(key.lower() not in _OURS for key, _value in headers):
            headers.extend(pairs)  # the common case: as if each were set, in this order
            return response
        own = headers.get(CSP_HEADER)
        for name, value in pairs:
            headers[name] = own if own and name == CSP_HEADER else value
        if own:
            headers[CSP_HEADER] = own  # also where the endpoint's policy is empty
        return response


def headers_for(endpoint: str | None, app=None) -> tuple[tuple[str, str], ...]:
    """The security headers of a response of ``endpoint`` (``None`` for a request that
    matched no route), in the order they are sent, unless that response sets its own
    Content-Security-Policy. ``app`` defaults to the current one; no request is needed."""
    return (app or current_app).extensions["security_headers"].for_endpoint(endpoint)


def init_app(app) -> None:
    """Add the headers to every response of ``app``; HSTS if ``BASE_URL`` is https."""
    headers = app.extensions["security_headers"] = SecurityHeaders(app)
    app.after_request(headers.add_to)
