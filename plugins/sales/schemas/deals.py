"""API schemas of pipelines and stages, opportunities, what hangs off them and their stage
history."""

from __future__ import annotations

from marshmallow import ValidationError, fields, pre_dump, validate

from patron.sdk import (
    CURRENCY,
    Amount,
    BaseSchema,
    OwnedRecordSchema,
    RecordSchema,
    custom_values,
    text,
)
from patron_sales.models.deals import STAGE_KINDS, stages_by_pipeline
from patron_sales.schemas.fields import Percent, percentage, required_text

#: Most stages a pipeline is made with.
MAX_STAGES = 50

#: Where an open deal stands in the forecast; won deals count as "closed", lost ones not at all.
FORECAST_CATEGORIES = ("pipeline", "best_case", "commit", "omitted")
BUYING_ROLES = ("economic_buyer", "user", "technical_evaluator", "coach", "decision_maker",
                "influencer", "other")


# ---- pipelines -------------------------------------------------------------------------------


class StageSchema(RecordSchema):
    """A stage of a pipeline."""

    pipeline_id = fields.UUID(metadata={"description": "Default: the default pipeline"})
    name = required_text(200)
    position = fields.Integer(validate=validate.Range(min=1),
                              metadata={"description": "Order in the pipeline; default: last"})
    probability = percentage(required=True, metadata={"description": "Win probability, %"})
    kind = fields.String(validate=validate.OneOf(STAGE_KINDS),
                         metadata={"description": "open (default), won or lost"})
    stalled_after_days = fields.Integer(allow_none=True, validate=validate.Range(min=1))


class NewStageSchema(BaseSchema):
    """A stage given with a new pipeline."""

    name = required_text(200)
    probability = percentage(required=True)
    kind = fields.String(validate=validate.OneOf(STAGE_KINDS))
    stalled_after_days = fields.Integer(allow_none=True, validate=validate.Range(min=1))


class PipelineSchema(RecordSchema):
    """A pipeline with its stages in order."""

    name = required_text(200)
    is_default = fields.Boolean()
    win_on_quote_accept = fields.Boolean(metadata={
        "description": "Accepting a quote of a deal in this pipeline moves the deal to the "
                       "won stage (default: true)"})
    stages = fields.Method(
        "_stages", deserialize="_new_stages",
        metadata={"description": "On creation: the stages in order (default: the classic "
                                 "funnel); afterwards read-only, changed through /stages",
                  "type": "array", "items": {"type": "object"}, "maxItems": MAX_STAGES})

    @pre_dump(pass_collection=True)
    def _read_stages(self, data, many: bool, **kwargs):
        """Read the stages of every pipeline being dumped at once (no query per pipeline)."""
        pipelines = data if many else [data]
        found = stages_by_pipeline([pipeline.id for pipeline in pipelines])
        for pipeline in pipelines:
            pipeline.stages_in_order = found.get(pipeline.id, [])
        return data

    def _stages(self, pipeline) -> list[dict]:
        return StageSchema(many=True).dump(pipeline.stages_in_order)

    def _new_stages(self, value) -> list[dict]:
        if isinstance(value, list) and len(value) > MAX_STAGES:
            raise ValidationError(f"Give at most {MAX_STAGES} stages.")
        return NewStageSchema(many=True).load(value)


# ---- opportunities ---------------------------------------------------------------------------


class OpportunitySchema(OwnedRecordSchema):
    """A deal. Moving it means giving a new ``stage_id`` (recorded in its stage history)."""

    name = required_text(200)
    account_id = fields.UUID(required=True)
    pipeline_id = fields.UUID(metadata={"description": "Default: the default pipeline"})
    stage_id = fields.UUID(metadata={"description": "Default: the pipeline's first open stage"})
    status = fields.String(dump_only=True, metadata={"description": "open, won or lost"})
    price_list_id = fields.UUID(allow_none=True, metadata={
        "description": "Prices the product lines (in the deal's currency)"})
    amount = Amount(metadata={"description": "Typing one in keeps it (amount_from_lines "
                                             "becomes false) unless amount_from_lines is "
                                             "given too"})
    amount_from_lines = fields.Boolean(metadata={
        "description": "The amount is the sum of the product lines (default: true unless an "
                       "amount is typed in)"})
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
    expected_close_date = fields.Date(allow_none=True)
    probability = percentage(metadata={"description": "Default: the stage's probability"})
    forecast_category = fields.String(validate=validate.OneOf(FORECAST_CATEGORIES))
    source = text(100)
    campaign = text(200)
    next_step = text(500)
    win_loss_reason = text(500)
    stage_entered_at = fields.AwareDateTime(dump_only=True)
    stalled_at = fields.AwareDateTime(dump_only=True)
    closed_at = fields.AwareDateTime(dump_only=True)
    custom = custom_values()


class StageVisitSchema(BaseSchema):
    """One stay of a deal in a stage."""

    id = fields.UUID(dump_only=True)
    stage_id = fields.UUID(dump_only=True)
    entered_at = fields.AwareDateTime(dump_only=True)
    exited_at = fields.AwareDateTime(dump_only=True)
    moved_by = fields.UUID(dump_only=True)


class StageHistorySchema(BaseSchema):
    """A deal's stage history, oldest first."""

    items = fields.List(fields.Nested(StageVisitSchema))


class OpportunityContactSchema(RecordSchema):
    """A contact's buying role on a deal."""

    opportunity_id = fields.UUID(dump_only=True)
    contact_id = fields.UUID(required=True)
    role = fields.String(required=True, validate=validate.OneOf(BUYING_ROLES))
    is_primary = fields.Boolean()


class OpportunityMemberSchema(RecordSchema):
    """A colleague on a deal's team."""

    opportunity_id = fields.UUID(dump_only=True)
    user_id = fields.UUID(required=True)
    role = required_text(64, metadata={"description": "e.g. sales engineer, support"})


class OpportunityLineSchema(RecordSchema):
    """A product line of a deal; ``amount`` = quantity × unit price − discount."""

    opportunity_id = fields.UUID(dump_only=True)
    product_id = fields.UUID(required=True)
    quantity = Amount(required=True)
    unit_price = Amount()  # default: the product's list price
    discount_percent = Percent()
    amount = Amount(dump_only=True)


class CompetitorSchema(RecordSchema):
    """A competitor on a deal (SWOT)."""

    opportunity_id = fields.UUID(dump_only=True)
    name = required_text(200)
    strengths = text(5000)
    weaknesses = text(5000)
    opportunities = text(5000)
    threats = text(5000)
