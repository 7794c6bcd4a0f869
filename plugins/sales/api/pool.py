"""``/api/v1/sales/``: the customer pool (``pool``, with ``claim``, ``release`` and
``moves`` per account), its ``pool-rules`` and its ``pool-settings`` (claim limits per role).

Reading needs ``sales.pool.read``, claiming and releasing one's own accounts
``sales.pool.claim``, changing rules and settings (and adding accounts straight to the pool,
or releasing someone else's) ``sales.pool.manage``. Pool accounts have no owner, so every
reader sees the whole pool whatever their data scope on accounts.
"""

from __future__ import annotations

import uuid

from flask import abort, url_for
from flask_login import current_user
from sqlalchemy import select

from patron.sdk import (
    Account,
    AccountSchema,
    ListArgsSchema,
    ResourceSpec,
    can,
    check_version,
    create_record,
    db,
    delete_record,
    expected_version,
    get_scoped_or_404,
    list_records,
    page_schema,
    patch_schema,
    register_crud,
    require,
    require_user,
    scoped_select,
    secured,
    spec_for,
    update_record,
)
from patron_sales.api import blp
from patron_sales.models.pool import PoolRule, PoolSettings
from patron_sales.permissions import CLAIM_POOL, MANAGE_POOL, POOL
from patron_sales.schemas.pool import (
    PoolAccountSchema,
    PoolMovesSchema,
    PoolRuleSchema,
    PoolSettingsSchema,
    ReleaseSchema,
)
from patron_sales.services import pool

ACCOUNTS = "core.accounts"
READ_POOL = f"{POOL}.read"
#: Pool accounts as the accounts API shows them (the caller's field rules applied).
POOL_ACCOUNT = secured(PoolAccountSchema, "account")

RULES_SPEC = ResourceSpec(
    name="pool-rules", model=PoolRule, schema=PoolRuleSchema, permission=POOL,
    event="pool_rule", filterable=("kind", "account_status", "active"), searchable=("name",),
    sortable=("name", "days", "created_at"), writable=False,
)
#: Not a collection: the record whose changes :func:`update_record` audits and announces.
SETTINGS_SPEC = ResourceSpec(name="pool-settings", model=PoolSettings,
                             schema=PoolSettingsSchema, permission=POOL,
                             event="sales_pool_settings")

# ---- rules: read like any resource, written by pool managers ---------------------------------

register_crud(blp, RULES_SPEC)


def _rule(record_id: uuid.UUID) -> PoolRule:
    require(MANAGE_POOL)
    return get_scoped_or_404(PoolRule, record_id, POOL)


@blp.route("/pool-rules", endpoint="pool-rules_create", methods=["POST"])
@blp.arguments(PoolRuleSchema)
@blp.response(201, PoolRuleSchema)
def create_rule(data: dict):
    """Add a pool rule"""
    require(MANAGE_POOL)
    rule = create_record(RULES_SPEC, data)
    return rule, 201, {"Location": url_for("sales.pool-rules_item", record_id=rule.id)}


@blp.route("/pool-rules/<uuid:record_id>", endpoint="pool-rules_update", methods=["PATCH"])
@blp.arguments(patch_schema(PoolRuleSchema)(partial=True))
@blp.response(200, PoolRuleSchema)
def update_rule(data: dict, record_id: uuid.UUID):
    """Change a pool rule (If-Match or version: stale is 409)"""
    expected = expected_version(data)
    rule = _rule(record_id)
    check_version(rule, expected)
    update_record(RULES_SPEC, rule, data)
    return rule


@blp.route("/pool-rules/<uuid:record_id>", endpoint="pool-rules_delete", methods=["DELETE"])
@blp.response(204)
def delete_rule(record_id: uuid.UUID):
    """Delete a pool rule (the moves it made stay recorded)"""
    delete_record(RULES_SPEC, _rule(record_id))


# ---- settings: the claim limits --------------------------------------------------------------


@blp.route("/pool-settings", methods=["GET"])
@blp.response(200, PoolSettingsSchema)
def read_pool_settings():
    """The tenant's pool settings: the claim limits per role"""
    require(READ_POOL)
    return pool.settings()


@blp.route("/pool-settings", methods=["PATCH"])
@blp.arguments(patch_schema(PoolSettingsSchema)(partial=True))
@blp.response(200, PoolSettingsSchema)
def change_pool_settings(data: dict):
    """Change the pool settings; ``claim_limits`` replaces every limit (If-Match or version:
    stale is 409)"""
    require(MANAGE_POOL)
    expected = expected_version(data)
    current = pool.settings()
    check_version(current, expected)
    if "claim_limits" in data:
        data["claim_limits"] = {str(role): limit for role, limit in data["claim_limits"].items()}
    update_record(SETTINGS_SPEC, current, data)
    return current


# ---- the pool --------------------------------------------------------------------------------


@blp.route("/pool", methods=["GET"])
@blp.arguments(ListArgsSchema, location="query")
@blp.response(200, page_schema(POOL_ACCOUNT))
def pool_accounts(args: dict):
    """Accounts in the pool (the accounts list's filters, q, sort and keyset paging)"""
    require(READ_POOL)
    # Pool accounts have no owner to be in anybody's scope: the list pages through them.
    return list_records(spec_for("account"), args, current_user,
                        base=select(Account).where(Account.owner_id.is_(None)))


@blp.route("/pool", methods=["POST"])
@blp.arguments(AccountSchema)
@blp.response(201, POOL_ACCOUNT)
def add_to_pool(data: dict):
    """Add a new account straight to the pool"""
    require(MANAGE_POOL)
    require(f"{ACCOUNTS}.create")
    account = pool.add_to_pool(data)
    return account, 201, {"Location": url_for("customers.accounts_item", record_id=account.id)}


def _pool_account(account_id: uuid.UUID, lock: bool = False) -> Account:
    """The account if it is in the pool or in the caller's scope on accounts; else 404."""
    statement = select(Account).where(Account.id == account_id)
    account = db.session.execute(
        statement.with_for_update() if lock else statement).scalar_one_or_none()
    if account is None or (account.owner_id is not None and db.session.execute(
            scoped_select(Account, ACCOUNTS).where(Account.id == account_id)).first() is None):
        abort(404)
    return account


@blp.route("/pool/<uuid:account_id>/claim", methods=["POST"])
@blp.response(200, POOL_ACCOUNT)
def claim_account(account_id: uuid.UUID):
    """Take an account from the pool (409 beyond your role's limit or if it is not there)"""
    require(CLAIM_POOL)
    account = _pool_account(account_id, lock=True)
    pool.claim(account, require_user())
    return account


@blp.route("/pool/<uuid:account_id>/release", methods=["POST"])
@blp.arguments(ReleaseSchema)
@blp.response(200, POOL_ACCOUNT)
def release_account(data: dict, account_id: uuid.UUID):
    """Give an account back to the pool (its owner; a pool manager for anyone in scope)"""
    if not can(MANAGE_POOL):
        require(CLAIM_POOL)
    account = get_scoped_or_404(Account, account_id, ACCOUNTS)
    if account.owner_id not in (None, current_user.id) and not can(MANAGE_POOL):
        abort(403, description="only its owner or a pool manager releases an account")
    pool.release(account, data.get("detail"))
    return account


@blp.route("/pool/<uuid:account_id>/moves", methods=["GET"])
@blp.response(200, PoolMovesSchema)
def account_moves(account_id: uuid.UUID):
    """Every move of an account in and out of the pool, oldest first"""
    require(READ_POOL)
    return {"items": pool.history_of(_pool_account(account_id))}
