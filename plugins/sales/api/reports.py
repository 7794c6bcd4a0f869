"""``GET /api/v1/sales/forecast``, ``GET /api/v1/sales/funnel``, and quotas with
``GET /api/v1/sales/quota-attainment``."""

from __future__ import annotations

from datetime import date

from patron.sdk import PatronBlueprint, ResourceSpec, register_crud, require, tenant_currency
from patron_sales.models.reporting import Quota
from patron_sales.permissions import FORECAST, FUNNEL, QUOTAS
from patron_sales.schemas.reports import (
    AttainmentArgsSchema,
    AttainmentSchema,
    ForecastArgsSchema,
    ForecastSchema,
    FunnelArgsSchema,
    FunnelSchema,
    QuotaSchema,
)
from patron_sales.services import quotas
from patron_sales.services.pipelines import pipeline_or_default
from patron_sales.services.reports import forecast, funnel

QUOTAS_SPEC = ResourceSpec(
    name="quotas", model=Quota, schema=QuotaSchema, permission=QUOTAS, event="quota",
    filterable=("owner_id", "period_start", "currency"), sortable=("period_start", "amount"),
    rules=quotas.QUOTA_RULES,
)


def register(blp: PatronBlueprint) -> None:
    """Add quotas and their attainment, the forecast and the funnel to ``blp``."""
    register_crud(blp, QUOTAS_SPEC)

    @blp.route("/quota-attainment", methods=["GET"])
    @blp.arguments(AttainmentArgsSchema, location="query")
    @blp.response(200, AttainmentSchema)
    def attainment_view(args: dict):
        """Each quota with the won deals of its user, month and currency"""
        require(f"{QUOTAS}.read")
        return {"items": quotas.attainment(args.get("start"), args.get("end"))}

    @blp.route("/forecast", methods=["GET"])
    @blp.arguments(ForecastArgsSchema, location="query")
    @blp.response(200, ForecastSchema)
    def forecast_view(args: dict):
        """The weighted pipeline by close month × owner × department and forecast category"""
        require(f"{FORECAST}.read")
        pipeline = pipeline_or_default(args.get("pipeline_id"))
        return {"pipeline_id": pipeline.id, "items": forecast(
            pipeline.id, args["group_by"], args.get("start"), args.get("end"))}

    @blp.route("/funnel", methods=["GET"])
    @blp.arguments(FunnelArgsSchema, location="query")
    @blp.response(200, FunnelSchema)
    def funnel_view(args: dict):
        """Stage conversion, days in stage, win rate, deal size and cycle length"""
        require(f"{FUNNEL}.read")
        pipeline = pipeline_or_default(args.get("pipeline_id"))
        created: tuple[date | None, date | None] = (args.get("created_from"),
                                                    args.get("created_to"))
        return {"pipeline_id": pipeline.id, "items": funnel(
            pipeline.id, args["group_by"], args.get("currency") or tenant_currency(), created)}
