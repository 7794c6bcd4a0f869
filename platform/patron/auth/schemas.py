"""Schemas of the authentication and user endpoints."""

from datetime import UTC, datetime

from marshmallow import ValidationError, fields, validate

from patron.schemas import BaseSchema, RecordSchema


def _in_the_future(moment: datetime) -> None:
    if moment <= datetime.now(UTC):
        raise ValidationError("Give a time in the future: the token would never work.")


def expiry() -> fields.AwareDateTime:
    """The ``expires_at`` of a new token: none (it never expires) or a time still to come."""
    return fields.AwareDateTime(allow_none=True, validate=_in_the_future)


class TokenRequestSchema(BaseSchema):
    """``POST /auth/token``."""

    tenant = fields.String(required=True)
    email = fields.String(required=True)
    password = fields.String(required=True, load_only=True)
    name = fields.String(load_default="api", validate=validate.Length(min=1, max=100))
    expires_at = expiry()


class TokenSchema(BaseSchema):
    """A token as listed (the secret itself is shown only once, at creation)."""

    id = fields.UUID(dump_only=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    prefix = fields.String(dump_only=True)
    created_at = fields.AwareDateTime(dump_only=True)
    last_used_at = fields.AwareDateTime(dump_only=True)
    expires_at = expiry()
    revoked_at = fields.AwareDateTime(dump_only=True)


class NewTokenSchema(TokenSchema):
    """A token just created, with its secret."""

    token = fields.String(attribute="secret", dump_only=True)


class PasswordChangeSchema(BaseSchema):
    """``POST /me/password``."""

    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


class UserSchema(RecordSchema):
    """A user of the tenant."""

    email = fields.Email(required=True)
    name = fields.String(validate=validate.Length(max=200))
    password = fields.String(load_only=True)
    role_id = fields.UUID(required=True)
    department_id = fields.UUID(allow_none=True)
    manager_id = fields.UUID(allow_none=True)
    is_active = fields.Boolean()
    locale = fields.String(allow_none=True, validate=validate.OneOf(["en", "zh_Hans"]))


class MeSchema(BaseSchema):
    """``GET /me``: who is calling, for which tenant, with what rights."""

    user = fields.Nested(UserSchema)
    tenant = fields.Dict()
    permissions = fields.List(fields.String())
    scopes = fields.Dict(keys=fields.String(), values=fields.String())
    modules = fields.List(fields.String())


class InvitationSchema(BaseSchema):
    """An invitation just sent: its link (to pass on yourself when no mail server is set up)."""

    link = fields.String(dump_only=True)
    mailed = fields.Boolean(dump_only=True, metadata={
        "description": "Whether it was e-mailed (only when PATRON_SMTP_HOST is set)"})
