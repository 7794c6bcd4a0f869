"""``/api/v1/sales/``: the customer pool (``pool``, with ``claim``, ``release`` and
``moves`` per account), its ``pool-rules`` and its ``pool-settings`` (claim limits per role).

Reading needs ``sales.pool.read``, claiming and releasing one's own accounts
``sales.pool.claim``, changing rules and settings (and adding accounts straight to the pool,
or releasing someone else's) ``sales.pool.manage``. Pool accounts have no owner, so every
reader sees the whole pool whatever their data scope on accounts.
"""

from __future__ import annotations

import uuid

from flask import url_for
from flask_login import current_user

from patron.sdk import (
    AccountSchema,
    PatronBlueprint,
    ResourceSpec,
    list_args_schema,
    list_records,
    page_schema,
    register_crud,
    register_settings,
    require,
    require_user,
    secured,
    spec_for,
)
from patron_sales.models.pool import PoolRule
from patron_sales.permissions import ACCOUNTS, CLAIM_POOL, MANAGE_POOL, POOL, READ_POOL
from patron_sales.schemas.pool import (
    PoolAccountSchema,
    PoolMovesSchema,
    PoolRuleSchema,
    ReleaseSchema,
)
from patron_sales.services import pool

#: Pool accounts as the accounts API shows them (the caller's field rules applied).
POOL_ACCOUNT = secured(PoolAccountSchema, "account")

RULES_SPEC = ResourceSpec(
    name="pool-rules", model=PoolRule, schema=PoolRuleSchema, permission=POOL,
    event="pool_rule", filterable=("kind", "account_status", "active"), searchable=("name",),
    sortable=("name", "days", "created_at"),
)


def register(blp: PatronBlueprint) -> None:
    """Add the pool's rules and settings (changed by pool managers) and the pool itself to
    ``blp``."""
    register_crud(blp, RULES_SPEC, write=MANAGE_POOL)
    register_settings(blp, "/pool-settings", pool.POOL_SETTINGS, read=READ_POOL,
                      update=MANAGE_POOL,
                      title="The tenant's pool settings: the claim limits per role")
    _pool_routes(blp)


def _pool_routes(blp: PatronBlueprint) -> None:
    """The pool's accounts: list, add, claim, release and their moves."""

    @blp.route("/pool", methods=["GET"])
    @blp.arguments(list_args_schema(spec_for("account")), location="query")
    @blp.response(200, page_schema(POOL_ACCOUNT))
    def pool_accounts(args: dict):
        """Accounts in the pool (the accounts list's filters, q, sort and keyset paging)"""
        require(READ_POOL)
        return list_records(spec_for("account"), args, current_user, base=pool.in_pool())

    @blp.route("/pool", methods=["POST"])
    @blp.arguments(AccountSchema)
    @blp.response(201, POOL_ACCOUNT)
    def add_to_pool(data: dict):
        """Add a new account straight to the pool"""
        require(MANAGE_POOL)
        require(f"{ACCOUNTS}.create")
        account = pool.add_to_pool(data)
        return account, 201, {"Location": url_for("customers.accounts_item", record_id=account.id)}

    @blp.route("/pool/<uuid:account_id>/claim", methods=["POST"])
    @blp.response(200, POOL_ACCOUNT)
    def claim_account(account_id: uuid.UUID):
        """Take an account from the pool (409 beyond your role's limit or if it is not there)"""
        require(CLAIM_POOL)
        account = pool.pool_account(account_id, lock=True)
        pool.claim(account, require_user())
        return account

    @blp.route("/pool/<uuid:account_id>/release", methods=["POST"])
    @blp.arguments(ReleaseSchema)
    @blp.response(200, POOL_ACCOUNT)
    def release_account(data: dict, account_id: uuid.UUID):
        """Give an account back to the pool (its owner; a pool manager for anyone in scope)"""
        account = pool.releasable(account_id)
        pool.release(account, data.get("detail"))
        return account

    @blp.route("/pool/<uuid:account_id>/moves", methods=["GET"])
    @blp.response(200, PoolMovesSchema)
    def account_moves(account_id: uuid.UUID):
        """Every move of an account in and out of the pool, oldest first"""
        require(READ_POOL)
        return {"items": pool.history_of(pool.pool_account(account_id))}
