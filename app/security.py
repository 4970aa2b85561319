"""Security headers on every response, through flask-talisman.

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

* ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: strict-origin-when-cross-origin``.
* ``Strict-Transport-Security`` only when ``BASE_URL`` is https (see ``_Talisman``).
  Talisman never redirects to https (``force_https=False``): the embedded default and the
  tests run on plain http, and in production the proxy in front terminates TLS.

A response that sets its own Content-Security-Policy keeps it (attachment downloads send the
stricter ``default-src 'none'; sandbox``).

Left out on purpose: ``form-action`` — the card top-up form is answered with a redirect to the
payment provider's checkout page, and browsers apply ``form-action`` to that redirect too.
"""
from flask import Blueprint, current_app, request
from flask_talisman import DENY, Talisman

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
HSTS_MAX_AGE = 365 * 24 * 3600

# Blueprint name -> talisman view options, filled by relax(blueprint, …).
_BLUEPRINT_OPTIONS: dict[str, dict] = {}

# The options talisman lets a view change (see Talisman._get_local_options).
_VIEW_OPTIONS = ("force_https", "frame_options", "frame_options_allow_from",
                 "content_security_policy", "content_security_policy_nonce_in",
                 "permissions_policy", "document_policy", "feature_policy")


def relax(target=None, /, **directives):
    """Loosen the policy for a blueprint or one view: CSP directives by name, ``_`` for ``-``
    (``frame_ancestors="*"``, ``connect_src="'self' https://api.example"``); ``None`` drops a
    directive. Changing ``frame_ancestors`` also drops X-Frame-Options there (it cannot list
    several sites; browsers that know CSP ignore it anyway). Call it with the blueprint, or use
    it as a decorator on a view (above or below the route decorator)."""
    changes = {name.replace("_", "-"): value for name, value in directives.items()}
    policy = {name: value for name, value in {**CSP, **changes}.items() if value is not None}
    options: dict = {"content_security_policy": policy}
    if "frame-ancestors" in changes:
        options["frame_options"] = None

    def apply(obj):
        if isinstance(obj, Blueprint):
            _BLUEPRINT_OPTIONS[obj.name] = options
        else:
            obj.talisman_view_options = {**getattr(obj, "talisman_view_options", {}), **options}
        return obj

    return apply if target is None else apply(target)


class _Talisman(Talisman):
    """Talisman with two changes: relax() works for whole blueprints, and HSTS follows
    BASE_URL rather than the scheme of each request."""

    def _get_local_options(self):
        options = {name: getattr(self, name) for name in _VIEW_OPTIONS}
        for name in reversed(request.blueprints):  # the outermost first; nested ones win
            options.update(_BLUEPRINT_OPTIONS.get(name, {}))
        view = current_app.view_functions.get(request.endpoint)
        options.update(getattr(view, "talisman_view_options", {}))
        return options

    def _set_response_headers(self, response):
        own = response.headers.get("Content-Security-Policy")
        response = super()._set_response_headers(response)
        if own:
            response.headers["Content-Security-Policy"] = own
        return response

    def _set_hsts_headers(self, headers):
        # Talisman sends HSTS only on a request that came over https or says so in
        # X-Forwarded-Proto; behind a TLS proxy that doesn't forward the scheme it never
        # would. An https BASE_URL means the site is served over https; a browser ignores
        # HSTS received over plain http (RFC 6797, 8.1), so sending it always is harmless.
        if self.strict_transport_security:
            max_age = self.strict_transport_security_max_age
            headers["Strict-Transport-Security"] = f"max-age={max_age}"


def init_app(app) -> None:
    """Install the headers on ``app``; HSTS if ``app.config["BASE_URL"]`` is https."""
    https = app.config.get("BASE_URL", "").startswith("https://")
    app.extensions["talisman"] = _Talisman(
        app,
        force_https=False,
        content_security_policy=CSP,
        frame_options=DENY,
        referrer_policy=REFERRER_POLICY,
        x_content_type_options=True,
        strict_transport_security=https,
        strict_transport_security_max_age=HSTS_MAX_AGE,
        strict_transport_security_include_subdomains=False,
        # The app decides cookies itself (app/__init__.py, app/config.py: Secure with an
        # https BASE_URL); talisman would otherwise mark them Secure and break plain http.
        session_cookie_secure=False,
        session_cookie_samesite=app.config.get("SESSION_COOKIE_SAMESITE", "Lax"),
    )
