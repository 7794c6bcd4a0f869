"""The customer pool, ``/sales/pool``: the accounts nobody owns, with "Claim" for those who may
take them (up to their role's limit, shown on the page) and the rules that return idle
accounts. A claim goes through the operation behind ``POST /api/v1/sales/pool/<id>/claim``
(the limit, the lock against two claims at once, the move and its event).
"""

from __future__ import annotations

import uuid

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from patron.sdk import (
    attempt,
    can,
    db,
    flash_refusal,
    hidden_fields,
    list_records,
    require,
    require_user,
    spec_for,
)
from patron_sales.models.pool import NO_FOLLOW_UP, PoolRule
from patron_sales.permissions import CLAIM_POOL, READ_POOL
from patron_sales.services import pool

#: Accounts the page lists (search to narrow the rest).
SHOWN = 50


@login_required
def pool_page():
    """The pool's accounts (``q`` searches them), what the user holds of their claim limit,
    and the rules."""
    require(READ_POOL)
    query = request.args.get("q", "").strip()[:200]
    args = {"limit": SHOWN, "sort": "name", **({"q": query} if query else {})}
    page = list_records(spec_for("account"), args, current_user, base=pool.in_pool())
    claimer = can(CLAIM_POOL)
    return render_template(
        "sales/pool.html", accounts=page["items"], more=bool(page["next_cursor"]), query=query,
        can_claim=claimer, limit=pool.claim_limit(current_user.role_id) if claimer else None,
        held=pool.held_from_pool(current_user.id) if claimer else 0,
        rules=db.session.execute(select(PoolRule).order_by(PoolRule.name)).scalars().all(),
        no_follow_up=NO_FOLLOW_UP,
        shown_fields=[name for name in ("domain", "industry")
                      if name not in hidden_fields("account")])


@login_required
def claim_from_pool(account_id: uuid.UUID):
    """Take an account from the pool; a refusal (the limit, someone was quicker) is shown."""
    require(CLAIM_POOL)
    account = pool.pool_account(account_id, lock=True)
    outcome = attempt(lambda: pool.claim(account, require_user()))
    if outcome.ok:
        flash(_("%(name)s is yours now.", name=account.name), "success")
    else:
        flash_refusal(outcome)
    return redirect(url_for(".pool_page", q=request.form.get("q") or None))


@login_required
def release_to_pool(account_id: uuid.UUID):
    """An account's "Give back to the pool": the form asking why, then the release."""
    account = pool.releasable(account_id)
    if request.method == "GET":
        return render_template("sales/release.html", account=account)
    detail = request.form.get("detail", "").strip()[:500] or None
    outcome = attempt(lambda: pool.release(account, detail))
    if outcome.ok:
        flash(_("%(name)s is back in the customer pool.", name=account.name), "success")
        return redirect(url_for(".pool_page"))
    flash_refusal(outcome)
    return redirect(url_for("records.record_detail", entity="account", record_id=account_id))


def register(bp: Blueprint) -> None:
    """Add the pool's page, its claim button and an account's release to ``bp``."""
    bp.add_url_rule("/pool", view_func=pool_page)
    bp.add_url_rule("/pool/<uuid:account_id>/claim", view_func=claim_from_pool,
                    methods=["POST"])
    bp.add_url_rule("/pool/<uuid:account_id>/release", view_func=release_to_pool,
                    methods=["GET", "POST"])
