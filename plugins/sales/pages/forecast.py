"""The forecast and funnel page, ``/sales/forecast``.

The figures come from :func:`patron_sales.services.reports.forecast` and
:func:`~patron_sales.services.reports.funnel`, the functions behind
``GET /api/v1/sales/forecast`` and ``…/funnel``, broken down by owner and/or department only
when the filters name one (then the matching group is kept). They are embedded in the page as
JSON for the Chart.js charts and shown again in tables, so the page reads the same without
JavaScript. The period filters the forecast by close month and the funnel by the month the
deals were opened. A user whose role hides the deals' amount sees deal counts only: no
amount, weighted amount or average deal size is computed for them.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from marshmallow import ValidationError, fields
from sqlalchemy import select

from patron.sdk import (
    CURRENCY,
    BaseSchema,
    Department,
    ValidationFailed,
    can,
    db,
    require,
    tenant_currency,
)
from patron_sales.models.deals import Pipeline
from patron_sales.permissions import FORECAST, FUNNEL
from patron_sales.schemas.reports import Month, MonthsInOrder
from patron_sales.services.pipelines import pipeline_or_default
from patron_sales.services.reports import (
    amounts_visible,
    first_of_next_month,
    forecast,
    funnel,
)
from patron_sales.services.team import team_members

#: The forecast categories in the order the chart stacks them, with their names.
CATEGORIES = {"closed": _l("Closed"), "commit": _l("Commit"), "best_case": _l("Best case"),
              "pipeline": _l("Pipeline")}


class FiltersSchema(MonthsInOrder, BaseSchema):
    """The page's GET form (empty inputs count as not given)."""

    pipeline_id = fields.UUID()
    owner = fields.UUID()
    department = fields.UUID()
    start = Month("First month, YYYY-MM", data_key="from")
    end = Month("Last month, YYYY-MM", data_key="to")
    currency = fields.String(validate=CURRENCY)


def _grouping(filters: dict) -> list[str]:
    return [name for name in ("owner", "department") if filters.get(name)]


def _matches(row: dict, filters: dict) -> bool:
    return all(row.get(f"{name}_id") == filters[name] for name in _grouping(filters))


#: The forecast's amount figures, summed where the user may see them.
AMOUNTS = ("amount", "weighted_amount")


def forecast_table(rows: list[dict], filters: dict, currency: str, amounts: bool
                   ) -> list[dict]:
    """Forecast rows of the filtered group in ``currency``, by month and category (with
    their amounts if ``amounts``)."""
    summed = AMOUNTS if amounts else ()
    totals: dict[tuple, dict[str, Any]] = defaultdict(
        lambda: {"count": 0, **dict.fromkeys(summed, Decimal(0))})
    for row in rows:
        if row["currency"] == currency and _matches(row, filters):
            cell = totals[(row["month"] or "", row["category"])]
            cell["count"] += row["count"]
            for key in summed:
                cell[key] += Decimal(row[key])
    order = list(CATEGORIES)
    return [{"month": month, "category": category, **cell}
            for (month, category), cell in sorted(
                totals.items(), key=lambda item: (item[0][0], order.index(item[0][1])))]


def chart_data(table: list[dict], stages: list[dict], amounts: bool) -> dict:
    """What the charts draw: weighted amounts (deal counts if not ``amounts``) by month per
    category, deals reaching each stage."""
    months = sorted({row["month"] for row in table})
    measure = "weighted_amount" if amounts else "count"
    values = {(row["month"], row["category"]): float(row[measure]) for row in table}
    return {
        "months": months,
        "categories": [{"label": str(name),
                        "values": [values.get((month, key), 0) for month in months]}
                       for key, name in CATEGORIES.items()],
        "stages": [stage["name"] for stage in stages],
        "reached": [stage["reached"] for stage in stages],
    }


def _funnel_group(pipeline_id: uuid.UUID, filters: dict, currency: str) -> dict | None:
    start, end = filters.get("start"), filters.get("end")
    created = (start, first_of_next_month(end) - timedelta(days=1) if end else None)
    groups = funnel(pipeline_id, _grouping(filters), currency, created)
    return next((group for group in groups if _matches(group, filters)), None)


def _filter_choices() -> dict:
    people = db.session.execute(team_members()).scalars().all()
    departments = db.session.execute(
        select(Department.id, Department.name).order_by(Department.name, Department.id)).all()
    pipelines = db.session.execute(
        select(Pipeline.id, Pipeline.name)
        .order_by(Pipeline.is_default.desc(), Pipeline.name, Pipeline.id)).all()
    return {"people": [(user.id, user.name or user.email) for user in people],
            "departments": departments, "pipelines": pipelines}


def _filters() -> tuple[dict, dict]:
    """The submitted filters and the errors found in them (keyed by input name)."""
    given = {key: value for key, value in request.args.items() if value.strip()}
    try:
        return FiltersSchema().load(given), {}
    except ValidationError as error:
        return {}, error.normalized_messages()


@login_required
def forecast_page():
    """The weighted pipeline by close month and category, and the funnel, with filters."""
    require(f"{FORECAST}.read")
    filters, errors = _filters()
    try:
        pipeline = pipeline_or_default(filters.get("pipeline_id"))
    except ValidationFailed:
        abort(404)
    currency = filters.get("currency") or tenant_currency()
    amounts = amounts_visible()
    table = [] if errors else forecast_table(
        forecast(pipeline.id, _grouping(filters), filters.get("start"), filters.get("end")),
        filters, currency, amounts)
    group = None
    if can(f"{FUNNEL}.read") and not errors:
        group = _funnel_group(pipeline.id, filters, currency)
    total = {key: sum((row[key] for row in table), Decimal(0))
             for key in (AMOUNTS if amounts else ())}
    return render_template(
        "sales/forecast.html", pipeline=pipeline, args=request.args, errors=errors,
        currency=currency, table=table, total=total, categories=CATEGORIES,
        funnel=group, show_funnel=can(f"{FUNNEL}.read"), show_amounts=amounts,
        chart=chart_data(table, group["stages"] if group else [], amounts),
        **_filter_choices(),
    ), 422 if errors else 200


def register(bp: Blueprint) -> None:
    """Add the forecast and funnel page to ``bp``."""
    bp.add_url_rule("/forecast", view_func=forecast_page)
