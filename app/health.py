"""GET /healthz: the database and Redis, each checked for real."""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    status = {"status": "ok", "database": "ok", "redis": "ok"}
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any failure to reach the database is "down"
        db.session.rollback()
        status["database"] = "down"
    try:
        current_app.extensions["redis"].ping()
    except Exception:  # any failure to reach Redis is "down"
        status["redis"] = "down"
    ok = status["database"] == "ok" and status["redis"] == "ok"
    if not ok:
        status["status"] = "down"
    return jsonify(status), 200 if ok else 503
