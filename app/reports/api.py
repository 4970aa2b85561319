"""API: the report (JSON or one table as CSV) and the staff activity statistics. The
services decide who may read them (admins and managers: 403 for agents) and whether the
tenant has the add-on (402 ``plan_limit``); bad ranges are a 422."""
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.api.core import endpoint
from app.reports import agents, service
from app.reports.export import TABLES, as_csv

DATE = "a date of the company's calendar, YYYY-MM-DD"


class RangeQuery(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    start: str | None = Field(None, alias="from", max_length=10,
                              description=f"{DATE}; default: a range that suits the period")
    end: str | None = Field(None, alias="to", max_length=10, description=f"{DATE}; default today")


class ReportQuery(RangeQuery):
    period: str | None = Field(None, max_length=10, description="day (default), week or month")
    format: Literal["json", "csv"] = "json"
    table: Literal[TABLES] = Field("series", description="with format=csv: which table")


@endpoint("/reports", "GET", summary="Ticket figures per day, week or month", tag="reports",
          query=ReportQuery, errors=(402, 403))
def report(staff, query: ReportQuery):
    result = service.build_report(actor=staff, period=query.period, start=query.start,
                                  end=query.end)
    if query.format == "csv":
        return as_csv(result, query.table)
    return result


@endpoint("/reports/agents", "GET", summary="Staff activity statistics", tag="reports",
          query=RangeQuery, errors=(402, 403))
def agent_statistics(staff, query: RangeQuery):
    return agents.agent_statistics(actor=staff, start=query.start, end=query.end)


@endpoint("/reports/agents/<int:staff_id>", "GET", summary="One staff member's statistics",
          tag="reports", query=RangeQuery, errors=(402, 403, 404))
def agent_statistic(staff, query: RangeQuery, staff_id: int):
    result = agents.agent_statistics(actor=staff, start=query.start, end=query.end,
                                     staff_id=staff_id)
    return result["items"][0] | {"from": result["from"], "to": result["to"]}
