"""``/auth/token``, ``/me``, ``/me/password`` and ``/tokens``."""

from __future__ import annotations

import uuid

from flask import abort, current_app

from patron.api.blueprint import PatronBlueprint
from patron.auth.login import sign_in
from patron.auth.models import ApiToken
from patron.auth.schemas import (
    MeSchema,
    NewTokenSchema,
    PasswordChangeSchema,
    TokenRequestSchema,
    TokenSchema,
)
from patron.auth.services import UserError, change_password, check_password
from patron.auth.throttling import AccountLocked
from patron.auth.tokens import TooManyTokens, check_token_rate, create_token, revoke_token
from patron.db import db
from patron.endpoints import public_endpoint
from patron.errors import ValidationFailed
from patron.extensions import limiter
from patron.plugins.services import enabled_modules
from patron.rbac.access import current_role, require_user
from patron.schemas import page_schema
from patron.tenancy.services import active_tenant

blp = PatronBlueprint("auth", __name__, description="Sign-in, tokens and the current user")


def _login_limit() -> str:
    return current_app.config["PATRON_LOGIN_RATE_LIMIT"]


@blp.route("/auth/token", methods=["POST"])
@public_endpoint
@limiter.limit(_login_limit, deduct_when=lambda response: response.status_code == 401)
@blp.arguments(TokenRequestSchema)
@blp.response(201, NewTokenSchema)
def issue_token(data):
    """Exchange a tenant, e-mail and password for a bearer token"""
    try:
        user = sign_in(data["tenant"], data["email"], data["password"], interface="api")
    except AccountLocked as error:
        abort(429, description=str(error))
    if user is None:
        abort(401, description="Wrong tenant, e-mail or password.")
    return _new_token(user, data)


def _new_token(user, data: dict):
    """A token for ``user`` unless they made too many in the last hour (429)."""
    try:
        check_token_rate(user)
    except TooManyTokens as error:
        abort(429, description=str(error))
    return create_token(user, data["name"], data.get("expires_at"))


@blp.route("/me")
@blp.response(200, MeSchema)
def me():
    """The current user, tenant, permissions and enabled modules"""
    user = require_user()
    role = current_role()
    tenant = active_tenant(user.tenant_id)
    return {
        "user": user,
        "tenant": {"id": str(tenant.id), "slug": tenant.slug, "name": tenant.name,
                   "locale": tenant.locale, "timezone": tenant.timezone,
                   "currency": tenant.currency},
        "permissions": role.permissions if role else [],
        "scopes": {**(role.scopes if role else {}), "*": role.default_scope if role else "own"},
        "modules": sorted(enabled_modules()),
    }


@blp.route("/me/password", methods=["POST"])
@blp.arguments(PasswordChangeSchema)
@blp.response(204)
def change_my_password(data):
    """Change your password; every other session of yours ends"""
    user = require_user()
    try:
        right = check_password(user, data["current_password"])
    except AccountLocked as error:
        abort(429, description=str(error))
    if not right:
        raise ValidationFailed({"current_password": ["Wrong password."]})
    try:
        change_password(user, data["new_password"], keep_session=user.session_id)
    except UserError as error:
        raise ValidationFailed({"new_password": [str(error)]}) from error


@blp.route("/tokens")
@blp.response(200, page_schema(TokenSchema))
def list_tokens():
    """Your API tokens (one page: a person has few)"""
    user = require_user()
    tokens = db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)
    ).scalars().all()
    return {"items": tokens, "next_cursor": None}


@blp.route("/tokens", methods=["POST"])
@blp.arguments(TokenSchema)
@blp.response(201, NewTokenSchema)
def new_token(data):
    """Create an API token for yourself (its secret is shown only now)"""
    return _new_token(require_user(), data)


@blp.route("/tokens/<uuid:token_id>", methods=["DELETE"])
@blp.response(204)
def delete_token(token_id: uuid.UUID):
    """Revoke one of your API tokens"""
    user = require_user()
    token = db.session.execute(
        db.select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    ).scalar_one_or_none()
    if token is None:
        abort(404)
    revoke_token(token)
    db.session.flush()



