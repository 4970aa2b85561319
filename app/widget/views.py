"""Page: the widget's settings (admin) — the snippet, the sites allowed to show it, the look
and words, the form's fields, identity verification, and a live preview of the real widget.
"""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app.departments.service import list_departments
from app.errors import ServiceError
from app.extensions import db
from app.languages import LANGUAGES, language_label
from app.tickets.fields import active_definitions
from app.ui import staff_page
from app.widget import checks
from app.widget.form import catalog
from app.widget.settings import (
    current_widget,
    script_url,
    set_identity_secret,
    snippet,
    update_widget,
)
from tenants.resolve import current_tenant

bp = Blueprint("widget_settings", __name__, url_prefix="/app/widget")
FIELD_LABELS = {"name": _l("Name"), "email": _l("E-mail"), "subject": _l("Subject"),
                "body": _l("Message"), "department_id": _l("Department"),
                "attachments": _l("Attachments")}


def _rows(chosen: list[dict]) -> list[dict]:
    """Every field the form can have: the chosen ones in their order, then the rest."""
    custom = {key: field.label for key, field in active_definitions().items()}
    known = {**{name: str(label) for name, label in FIELD_LABELS.items()}, **custom}
    rows = [{**item, "on": True, "title": known.get(item["name"], item["name"]),
             "custom": item["name"] in custom} for item in chosen if item["name"] in known]
    picked = {row["name"] for row in rows}
    rows += [{"name": name, "label": "", "required": False, "on": False, "title": title,
              "custom": name in custom} for name, title in known.items() if name not in picked]
    for row in rows:
        row["locked"] = row["name"] in checks.ALWAYS_REQUIRED
    return rows


def _posted_fields(form) -> list[dict]:
    names = form.getlist("field")
    chosen = []
    for name in names:
        if form.get(f"on-{name}") or name in checks.ALWAYS_REQUIRED:
            position = form.get(f"position-{name}", "")
            chosen.append((int(position) if position.lstrip("-").isdigit() else 999, {
                "name": name, "label": form.get(f"label-{name}", ""),
                "required": bool(form.get(f"required-{name}"))}))
    return [item for _position, item in sorted(chosen, key=lambda pair: pair[0])]


def _changes(form) -> dict:
    return {
        "allowed_origins": [line for line in form.get("origins", "").splitlines()
                            if line.strip()],
        "fields": _posted_fields(form),
        "department_ids": [int(v) for v in form.getlist("department") if v.isdigit()],
        "colors": {"primary": form.get("color", "")},
        "texts": {key: form.get(key, "") for key in checks.TEXT_LIMITS},
        "language": form.get("language", ""),
    }


@bp.route("/", methods=["GET", "POST"])
@staff_page("admin")
def index():
    errors, status, posted = {}, 200, None
    if request.method == "POST":
        posted = _changes(request.form)
        try:
            update_widget(actor=current_user, changes=posted)
        except ServiceError as exc:
            db.session.rollback()
            errors, status = {k: str(v) for k, v in exc.fields.items()}, exc.status
            flash(str(exc.message), "error")
        else:
            flash(_("Widget settings saved."), "success")
            return redirect(url_for(".index"))
    widget = current_widget()
    values = posted or {"allowed_origins": list(widget.allowed_origins),
                        "fields": list(widget.fields), "colors": widget.colors,
                        "department_ids": list(widget.department_ids),
                        "texts": widget.texts, "language": widget.language}
    key = current_tenant().widget_key
    return render_template(
        "widget/settings.html", values=values, errors=errors, rows=_rows(values["fields"]),
        departments=list_departments(), snippet=snippet(key), key=key,
        script_url=script_url(), secret=widget.identity_secret, catalog=catalog(current_tenant()),
        languages=[(code, language_label(code)) for code in LANGUAGES]), status


@bp.post("/secret")
@staff_page("admin")
def secret():
    enabled = request.form.get("action") != "off"
    try:
        set_identity_secret(actor=current_user, enabled=enabled)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc.message), "error")
    else:
        flash(_("A new secret is in use; the old one no longer verifies anyone.") if enabled
              else _("Identity verification is off."), "success")
    return redirect(url_for(".index") + "#identity")
