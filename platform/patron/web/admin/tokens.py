"""``/admin/tokens``: the signed-in user's API tokens — create (the secret is shown once),
revoke."""

from __future__ import annotations

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from marshmallow import ValidationError

from patron.auth.models import ApiToken
from patron.auth.schemas import TokenSchema
from patron.auth.tokens import (
    MAX_TOKENS_PER_HOUR,
    TooManyTokens,
    check_token_rate,
    create_token,
    revoke_token,
)
from patron.db import db
from patron.rbac.access import require_user
from patron.web.admin.blueprint import bp
from patron.web.record_forms import day_bound


def _my_tokens() -> list[ApiToken]:
    user = require_user()
    return list(db.session.execute(
        db.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc())
    ).scalars())


@bp.route("/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    """Your tokens; a new one's secret is on the page that answers its creation, only there."""
    user = require_user()
    errors: dict = {}
    created, status = None, 422
    if request.method == "POST":
        expiry = request.form.get("expires", "").strip()
        expiry = expiry and day_bound(expiry, end=True)
        try:
            data = TokenSchema().load({"name": request.form.get("name", "").strip(),
                                       "expires_at": expiry or None})
        except ValidationError as error:
            errors = error.normalized_messages()
        else:
            try:
                check_token_rate(user)
            except TooManyTokens:
                errors, status = {"_form": [_("At most %(count)d tokens an hour: reuse one, "
                                              "or try again later.",
                                              count=MAX_TOKENS_PER_HOUR)]}, 429
            else:
                created = create_token(user, data["name"], data.get("expires_at"))
    page = render_template("admin/tokens.html", tokens=_my_tokens(), created=created,
                           errors=errors, form=request.form)
    # The page with a new secret must not be kept by the browser or a proxy.
    return page, status if errors else 200, {"Cache-Control": "no-store"}


@bp.route("/tokens/<uuid:token_id>/revoke", methods=["POST"])
@login_required
def token_revoke(token_id: uuid.UUID):
    """Revoke one of your tokens: requests carrying it get 401 from now on."""
    token = next((t for t in _my_tokens() if t.id == token_id), None)
    if token is None:
        abort(404)
    revoke_token(token)
    flash(_("Token “%(name)s” revoked.", name=token.name), "success")
    return redirect(url_for("admin.tokens"))
