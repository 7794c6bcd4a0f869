"""API schemas of the forecast, the funnel, quotas and their attainment (the forecast page's
filters read their months the same way)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validates_schema

from patron.sdk import CURRENCY, Amount, BaseSchema, OwnedRecordSchema

#: What a report can be broken down by: the deal's owner, or the owner's department.
GROUPINGS = ("owner", "department")


class Month(fields.Date):
    """A month, ``YYYY-MM`` (read as its first day)."""

    def __init__(self, description: str, **kwargs) -> None:
        super().__init__(format="%Y-%m", metadata={"example": "2026-01",
                                                   "description": description}, **kwargs)


class Grouping(fields.String):
    """``owner``, ``department``, both (comma-separated) or nothing."""

    def _deserialize(self, value, attr, data, **kwargs) -> list[str]:
        names = [n.strip() for n in super()._deserialize(value, attr, data, **kwargs).split(",")]
        names = [n for n in names if n]
        unknown = sorted(set(names) - set(GROUPINGS))
        if unknown:
            raise ValidationError(f"Group by {' and/or '.join(GROUPINGS)}, not {unknown[0]}.")
        return list(dict.fromkeys(names))


class MonthsInOrder:
    """Schema mixin: the ``to`` month (``end``) is not before the ``from`` month (``start``)."""

    @validates_schema
    def _months_in_order(self, data: dict, **kwargs) -> None:
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("Must not be before from.", "to")


class ForecastArgsSchema(MonthsInOrder, BaseSchema):
    """Which deals the forecast covers and how it breaks them down."""

    pipeline_id = fields.UUID(metadata={"description": "Default: the default pipeline"})
    start = Month("First close month, YYYY-MM", data_key="from")
    end = Month("Last close month, YYYY-MM", data_key="to")
    group_by = Grouping(load_default=lambda: ["owner", "department"], metadata={
        "description": "owner, department, both (default) or empty"})


class ForecastRowSchema(BaseSchema):
    """One cell of the forecast."""

    month = fields.String(allow_none=True, metadata={"description": "YYYY-MM of the close"})
    owner_id = fields.UUID(allow_none=True)
    department_id = fields.UUID(allow_none=True)
    category = fields.String(metadata={"description": "pipeline, best_case, commit, closed"})
    currency = fields.String()
    count = fields.Integer()
    amount = fields.String(metadata={"format": "decimal"})
    weighted_amount = fields.String(metadata={"format": "decimal"})


class ForecastSchema(BaseSchema):
    """The weighted pipeline by close month, category and currency."""

    pipeline_id = fields.UUID()
    items = fields.List(fields.Nested(ForecastRowSchema))


class FunnelArgsSchema(BaseSchema):
    """Which deals the funnel covers and how it breaks them down."""

    pipeline_id = fields.UUID(metadata={"description": "Default: the default pipeline"})
    created_from = fields.Date(metadata={"description": "Deals opened on or after"})
    created_to = fields.Date(metadata={"description": "Deals opened on or before"})
    group_by = Grouping(load_default=list, metadata={
        "description": "owner, department, both or empty (default: one group)"})
    currency = fields.String(validate=CURRENCY, metadata={
        "description": "Currency of the average deal size; default: the tenant's"})


class FunnelStageSchema(BaseSchema):
    """One step of the funnel."""

    stage_id = fields.UUID()
    name = fields.String()
    kind = fields.String()
    reached = fields.Integer()
    conversion_to_next = fields.Float(allow_none=True)
    average_days = fields.Float(allow_none=True)


class FunnelGroupSchema(BaseSchema):
    """The funnel of one owner, department or of everyone."""

    owner_id = fields.UUID(allow_none=True)
    department_id = fields.UUID(allow_none=True)
    deals = fields.Integer()
    open = fields.Integer()
    won = fields.Integer()
    lost = fields.Integer()
    win_rate = fields.Float(allow_none=True)
    average_deal_size = fields.String(allow_none=True, metadata={"format": "decimal"})
    currency = fields.String()
    average_cycle_days = fields.Float(allow_none=True)
    stages = fields.List(fields.Nested(FunnelStageSchema))


class FunnelSchema(BaseSchema):
    """Conversion, time in stage, win rate, deal size and cycle length."""

    pipeline_id = fields.UUID()
    items = fields.List(fields.Nested(FunnelGroupSchema))


class AttainmentArgsSchema(BaseSchema):
    """Which months of quotas to show."""

    start = Month("First month, YYYY-MM", data_key="from")
    end = Month("Last month, YYYY-MM", data_key="to")


class AttainmentRowSchema(BaseSchema):
    """One quota and what its user won in its month."""

    quota_id = fields.UUID()
    user_id = fields.UUID()
    month = fields.String()
    currency = fields.String()
    quota = fields.String(metadata={"format": "decimal"})
    won = fields.String(metadata={"format": "decimal"})
    deals = fields.Integer()
    attainment = fields.Float(allow_none=True, metadata={"description": "won / quota"})


class AttainmentSchema(BaseSchema):
    """Quota attainment per user and month."""

    items = fields.List(fields.Nested(AttainmentRowSchema))


class QuotaSchema(OwnedRecordSchema):
    """What a user should win in a month, in one currency."""

    user_id = fields.UUID(attribute="owner_id", metadata={
        "description": "Whose quota (its owner, for data scopes); default: the caller"})
    period_start = fields.Date(required=True, metadata={
        "description": "The month (any day of it; stored as its first day)"})
    amount = Amount(required=True)
    currency = fields.String(validate=CURRENCY,
                             metadata={"description": "Default: the tenant's currency"})
