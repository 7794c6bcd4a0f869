"""API schemas of the customer pool: rules, settings (claim limits) and moves."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates
from sqlalchemy import select

from patron.sdk import ACCOUNT_STATUSES, AccountSchema, BaseSchema, RecordSchema, Role, db
from patron_sales.models.pool import RULE_KINDS
from patron_sales.schemas.fields import required_text

#: How far back a rule may look: ten years.
MAX_DAYS = 3650


class PoolRuleSchema(RecordSchema):
    """Return accounts to the pool when nothing of ``kind`` happened for ``days`` days."""

    name = required_text(200)
    kind = fields.String(required=True, validate=validate.OneOf(RULE_KINDS), metadata={
        "description": "no_follow_up: no activity logged on the account; "
                       "no_win: no deal won with it"})
    days = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_DAYS))
    account_status = fields.String(allow_none=True, validate=validate.OneOf(ACCOUNT_STATUSES),
                                   metadata={"description": "Only accounts of this status "
                                             "(the customer level); null: every account"})
    active = fields.Boolean()


class PoolAccountSchema(AccountSchema):
    """An account in the pool (no owner), as the accounts API shows it."""


class PoolSettingsSchema(RecordSchema):
    """The tenant's pool settings."""

    claim_limits = fields.Dict(
        keys=fields.UUID(), values=fields.Integer(validate=validate.Range(min=0)),
        metadata={"description": "Role id → how many accounts claimed from the pool a user "
                                 "of that role may hold; a role not listed has no limit",
                  "reference": "role"})

    @validates("claim_limits")
    def _known_roles(self, value: dict, **kwargs) -> None:
        known = set(db.session.execute(
            select(Role.id).where(Role.id.in_(list(value)))).scalars()) if value else set()
        unknown = sorted(str(role_id) for role_id in value if role_id not in known)
        if unknown:
            raise ValidationError(f"No such role: {', '.join(unknown)}.")


class PoolMoveSchema(BaseSchema):
    """One move of an account in or out of the pool (``to_owner_id`` null: to the pool)."""

    id = fields.UUID(dump_only=True)
    account_id = fields.UUID(dump_only=True)
    from_owner_id = fields.UUID(dump_only=True)
    to_owner_id = fields.UUID(dump_only=True)
    reason = fields.String(dump_only=True, metadata={
        "description": "added, released, rule or claimed"})
    detail = fields.String(dump_only=True)
    moved_at = fields.AwareDateTime(dump_only=True)
    moved_by = fields.UUID(dump_only=True, metadata={"description": "null: the scheduled job"})


class PoolMovesSchema(BaseSchema):
    """An account's moves in and out of the pool, oldest first."""

    items = fields.List(fields.Nested(PoolMoveSchema))


class ReleaseSchema(BaseSchema):
    """Why the account goes back to the pool."""

    detail = fields.String(validate=validate.Length(max=500))
