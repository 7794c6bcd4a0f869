"""``/api/v1/sales/…``: ``opportunities`` (+ their contacts, team, lines and competitors, and
their ``stage-history``), ``pipelines`` and ``stages``."""

from __future__ import annotations

import uuid

from patron.sdk import (
    PatronBlueprint,
    ResourceSpec,
    get_scoped_or_404,
    register_children,
    register_crud,
    require,
)
from patron_sales.models.deals import Opportunity, Pipeline, Stage
from patron_sales.permissions import OPPORTUNITIES, PIPELINES
from patron_sales.schemas.deals import (
    OpportunitySchema,
    PipelineSchema,
    StageHistorySchema,
    StageSchema,
)
from patron_sales.services import opportunities, pipelines
from patron_sales.services.deal_rows import DETAILS

OPPORTUNITIES_SPEC = ResourceSpec(
    name="opportunities", model=Opportunity, schema=OpportunitySchema,
    permission=OPPORTUNITIES, event="opportunity", entity="opportunity",
    filterable=("account_id", "pipeline_id", "stage_id", "status", "currency", "amount",
                "expected_close_date", "forecast_category", "source", "owner_id",
                "created_at", "stalled_at", "closed_at"),
    searchable=("name", "next_step"),
    sortable=("name", "amount", "expected_close_date", "probability", "stage_entered_at",
              "created_at", "updated_at"),
    create=opportunities.create_opportunity, update=opportunities.update_opportunity,
    delete=opportunities.delete_opportunity,
)
PIPELINES_SPEC = ResourceSpec(
    name="pipelines", model=Pipeline, schema=PipelineSchema, permission=PIPELINES,
    event="pipeline", filterable=("is_default",), searchable=("name",), sortable=("name",),
    create=pipelines.create_pipeline, update=pipelines.update_pipeline,
    delete=pipelines.delete_pipeline,
)
STAGES_SPEC = ResourceSpec(
    name="stages", model=Stage, schema=StageSchema, permission=PIPELINES, event="stage",
    filterable=("pipeline_id", "kind"), searchable=("name",), sortable=("position", "name"),
    rules=pipelines.STAGE_RULES,
    delete=pipelines.delete_stage,
)


def register(blp: PatronBlueprint) -> None:
    """Add opportunities (with their rows and stage history), pipelines and stages to
    ``blp``."""
    for spec in (OPPORTUNITIES_SPEC, PIPELINES_SPEC, STAGES_SPEC):
        register_crud(blp, spec)
    for detail in DETAILS:
        register_children(blp, detail)

    @blp.route("/opportunities/<uuid:record_id>/stage-history", methods=["GET"])
    @blp.response(200, StageHistorySchema)
    def stage_history(record_id: uuid.UUID):
        """Every stage the deal has been in, with entry and exit times"""
        require(f"{OPPORTUNITIES}.read")
        opportunity = get_scoped_or_404(Opportunity, record_id, OPPORTUNITIES, shared=True)
        return {"items": opportunities.history_of(opportunity)}
