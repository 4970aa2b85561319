"""Pages: the report with its charts and tables, its CSV tables, and staff activity."""
from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from app.errors import ServiceError
from app.reports import agents, service
from app.reports.export import TABLES, as_csv
from app.reports.pictures import forecast_chart, report_charts
from app.staff.roles import MANAGERS
from app.ui import staff_page
from billing.gates import addon_page

bp = Blueprint("reports", __name__, url_prefix="/app/reports")


def _asked() -> dict:
    return {"period": request.args.get("period"), "start": request.args.get("from"),
            "end": request.args.get("to")}


def _form_values(asked: dict) -> dict:
    return {"period": asked["period"] or "day", "from": asked["start"] or "",
            "to": asked["end"] or ""}


@bp.get("/")
@staff_page(*MANAGERS)
@addon_page("reports")
def index():
    asked = _asked()
    try:
        report = service.build_report(actor=current_user, **asked)
    except ServiceError as exc:
        if exc.status != 422:
            raise
        return render_template("reports/index.html", report=None, errors=exc.fields,
                               form=_form_values(asked)), 422
    form = {"period": report["period"], "from": report["from"], "to": report["to"]}
    return render_template("reports/index.html", report=report, errors={}, form=form,
                           charts=report_charts(report), forecast=forecast_chart(report),
                           tables=TABLES)


@bp.get("/export.csv")
@staff_page(*MANAGERS)
@addon_page("reports")
def export():
    table = request.args.get("table", "series")
    if table not in TABLES:
        abort(422, _("Unknown table."))
    return as_csv(service.build_report(actor=current_user, **_asked()), table)


def _agents_page(staff_id: int | None = None):
    asked = {"start": request.args.get("from"), "end": request.args.get("to")}
    try:
        result = agents.agent_statistics(actor=current_user, staff_id=staff_id, **asked)
    except ServiceError as exc:
        if exc.status != 422:
            raise
        return render_template("reports/agents.html", result=None, errors=exc.fields,
                               form={"from": asked["start"] or "", "to": asked["end"] or ""},
                               staff_id=staff_id), 422
    return render_template("reports/agents.html", result=result, errors={},
                           form={"from": result["from"], "to": result["to"]},
                           staff_id=staff_id)


@bp.get("/agents")
@staff_page(*MANAGERS)
@addon_page("reports")
def agents_index():
    return _agents_page()


@bp.get("/agents/<int:staff_id>")
@staff_page(*MANAGERS)
def agent(staff_id: int):
    """Another company's staff member is a 404 before the add-on is asked (the service
    answers 402 after that)."""
    return _agents_page(staff_id)
