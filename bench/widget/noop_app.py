"""The ceiling of bench/widget/intake.py: this help desk with one more route that does
nothing — ``POST /widget/<key>/noop`` answers ``{"ok": true}`` without reading the key, the
database or Redis — so what it costs is the app's own per-request work (the before-request
hooks, the session, the locale, the rate limiter, the security headers), under the same
gunicorn settings as the widget.

    gunicorn -w 2 'noop_app:build_app()'     (from bench/widget/, with the app's environment)
"""
import sys
from pathlib import Path

from flask import jsonify

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def add_noop_route(app) -> None:
    from app.extensions import csrf

    def noop(key):
        return jsonify(ok=True)

    noop.resolves_own_tenant = True  # like the widget's views: no staff session looked for
    app.add_url_rule("/widget/<key>/noop", "bench_noop", noop, methods=["POST"])
    csrf.exempt(noop)


def build_app():
    from app import create_app

    built = create_app()
    add_noop_route(built)
    return built
