"""The customer pool (the "public pool" of Chinese CRMs): accounts nobody owns, which reps
claim up to their role's limit.

An account goes back to the pool when its owner releases it, or when the hourly
``sales.customer_pool`` job finds that one of the tenant's :class:`PoolRule` applies: no
activity logged on the account (``no_follow_up``) or no deal won with it (``no_win``) for the
rule's number of days, counted from the later of the account's creation and its last move
(a rep who just claimed an account gets the rule's full time). A rule may apply to accounts
of one status only: the account's status (prospect, active, inactive) stands for the
customer level. The job finds the accounts of each rule with one set-based query.

An owner changes only through the core's record operation
(:func:`~patron.sdk.update_record`), so the audit log, search and the
``account.updated`` event see it; every move is also kept in :class:`PoolMove` and announced
with ``account.returned_to_pool`` (with the previous owner and their manager) or
``account.claimed``.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from flask import abort
from sqlalchemy import Select, exists, func, select

from patron.sdk import (
    Account,
    Activity,
    Conflict,
    ResourceSpec,
    TenantSettings,
    User,
    acting_user_id,
    can,
    create_record,
    db,
    emit,
    get_scoped_or_404,
    require,
    scoped_select,
    spec_for,
    update_record,
    utcnow,
)
from patron_sales.models.deals import WON, Opportunity
from patron_sales.models.pool import NO_FOLLOW_UP, PoolMove, PoolRule, PoolSettings
from patron_sales.permissions import ACCOUNTS, CLAIM_POOL, MANAGE_POOL, POOL
from patron_sales.schemas.pool import PoolSettingsSchema

ADDED, RELEASED, RULE, CLAIMED = "added", "released", "rule", "claimed"


def _no_limits() -> dict:
    return {"claim_limits": {}}


def _limits_by_role_id(data: dict) -> dict:
    """Loaded settings with ``claim_limits`` keyed by role ids as strings (JSON keys)."""
    if "claim_limits" in data:
        data["claim_limits"] = {str(role): limit for role, limit in data["claim_limits"].items()}
    return data


#: The tenant's pool settings: one row, made with no limits the first time it is asked for;
#: ``claim_limits`` replaces every limit; changes are announced as
#: ``sales_pool_settings.updated``.
POOL_SETTINGS = TenantSettings(
    ResourceSpec(name="pool-settings", model=PoolSettings, schema=PoolSettingsSchema,
                 permission=POOL, event="sales_pool_settings"),
    defaults=_no_limits, prepare=_limits_by_role_id)


def claim_limit(role_id: uuid.UUID | None) -> int | None:
    """How many accounts claimed from the pool a user of the role may hold; ``None``: any."""
    return POOL_SETTINGS.current().claim_limits.get(str(role_id)) if role_id else None


def in_pool() -> Select:
    """``SELECT Account`` of the accounts in the pool: those nobody owns. They are in nobody's
    data scope, so a list of the pool pages through this instead."""
    return select(Account).where(Account.owner_id.is_(None))


def pool_account(account_id: uuid.UUID, lock: bool = False) -> Account:
    """The account if it is in the pool or in the signed-in user's scope on accounts (locked
    for the transaction with ``lock``); else 404."""
    statement = select(Account).where(Account.id == account_id)
    account = db.session.execute(
        statement.with_for_update() if lock else statement).scalar_one_or_none()
    if account is None or (account.owner_id is not None and db.session.execute(
            scoped_select(Account, ACCOUNTS).where(Account.id == account_id)).first() is None):
        abort(404)
    return account


def held_from_pool(user_id: uuid.UUID) -> int:
    """How many of the accounts ``user_id`` owns they claimed from the pool."""
    claimed = exists().where(PoolMove.account_id == Account.id,
                             PoolMove.to_owner_id == user_id, PoolMove.reason == CLAIMED)
    return db.session.execute(
        select(func.count()).select_from(Account).where(Account.owner_id == user_id, claimed)
    ).scalar_one()


def history_of(account: Account) -> list[PoolMove]:
    """Every move of ``account`` in and out of the pool, oldest first."""
    return list(db.session.execute(
        select(PoolMove).where(PoolMove.account_id == account.id)
        .order_by(PoolMove.moved_at, PoolMove.id)).scalars())


def _move(account: Account, to_owner_id: uuid.UUID | None, reason: str,
          detail: str | None) -> PoolMove:
    """Give ``account`` to ``to_owner_id`` (``None``: the pool) and record the move."""
    move = PoolMove(account_id=account.id, from_owner_id=account.owner_id,
                    to_owner_id=to_owner_id, reason=reason, detail=detail, moved_at=utcnow(),
                    moved_by=acting_user_id())
    update_record(spec_for("account"), account, {"owner_id": to_owner_id})
    db.session.add(move)
    db.session.flush()
    return move


def _payload(account: Account, move: PoolMove, **extra) -> dict:
    return {"id": str(account.id), "name": account.name, "reason": move.reason,
            "detail": move.detail, **extra,
            "changes": {"owner_id": [str(move.from_owner_id) if move.from_owner_id else None,
                                     str(move.to_owner_id) if move.to_owner_id else None]}}


def return_to_pool(account: Account, reason: str, detail: str | None = None,
                   manager_id: uuid.UUID | None = None) -> PoolMove:
    """Clear ``account``'s owner; ``account.returned_to_pool`` names the previous owner and
    ``manager_id``, their manager, so notification channels can tell them."""
    if account.owner_id is None:
        raise Conflict("the account is already in the pool")
    move = _move(account, None, reason, detail)
    owner = move.from_owner_id
    emit("account.returned_to_pool", _payload(
        account, move, previous_owner_id=str(owner),
        manager_id=str(manager_id) if manager_id else None))
    return move


def releasable(account_id: uuid.UUID) -> Account:
    """The account ``account_id`` if the signed-in user may give it back to the pool: its
    owner holding ``sales.pool.claim``, or a pool manager for any account in their scope
    (403 otherwise, 404 outside their scope)."""
    if not can(MANAGE_POOL):
        require(CLAIM_POOL)
    account = get_scoped_or_404(Account, account_id, ACCOUNTS)
    if account.owner_id not in (None, acting_user_id()) and not can(MANAGE_POOL):
        abort(403, description="only its owner or a pool manager releases an account")
    return account


def release(account: Account, detail: str | None) -> PoolMove:
    """The owner (or a pool manager) gives ``account`` back to the pool."""
    manager_id = db.session.execute(
        select(User.manager_id).where(User.id == account.owner_id)).scalar_one_or_none()
    return return_to_pool(account, RELEASED, detail, manager_id)


def claim(account: Account, user: User) -> PoolMove:
    """``user`` takes ``account`` from the pool; 409 (nothing changed) when it is not in the
    pool or ``user`` already holds as many claimed accounts as their role allows."""
    if account.owner_id is not None:
        raise Conflict("the account is not in the pool")
    limit = claim_limit(user.role_id)
    if limit is not None:
        # One rep's claims are serialised on their user row: under READ COMMITTED two claims
        # at once would each count the same holdings and pass the limit together. (SQLite
        # serialises every write transaction; FOR UPDATE is left out there.)
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    if limit is not None and held_from_pool(user.id) >= limit:
        raise Conflict(f"you already hold {limit} accounts claimed from the pool, the limit "
                       "of your role; release one first")
    move = _move(account, user.id, CLAIMED, None)
    emit("account.claimed", _payload(account, move, owner_id=str(user.id)))
    return move


def add_to_pool(data: dict) -> Account:
    """A new account, straight into the pool (``data`` as the accounts API loads it)."""
    account = create_record(spec_for("account"), data)
    _move(account, None, ADDED, None)
    return account


def idle_accounts(rule: PoolRule, now: datetime) -> Select:
    """``SELECT Account, owner's manager id`` of the owned accounts ``rule`` returns at
    ``now``: one set-based query (NOT EXISTS on indexed account columns)."""
    since = now - timedelta(days=rule.days)
    if rule.kind == NO_FOLLOW_UP:
        recent = exists().where(Activity.account_id == Account.id, Activity.created_at >= since)
    else:
        recent = exists().where(Opportunity.account_id == Account.id,
                                Opportunity.status == WON, Opportunity.closed_at >= since)
    moved = exists().where(PoolMove.account_id == Account.id, PoolMove.moved_at >= since)
    statement = (select(Account, User.manager_id)
                 .join(User, User.id == Account.owner_id)
                 .where(Account.created_at < since, ~recent, ~moved)
                 .order_by(Account.id))
    if rule.account_status:
        statement = statement.where(Account.status == rule.account_status)
    return statement


def describe(rule: PoolRule) -> str:
    """Why a rule returned an account, for the move's ``detail``."""
    what = "no follow-up" if rule.kind == NO_FOLLOW_UP else "no deal won"
    return f"{rule.name}: {what} in {rule.days} days"[:500]


def return_idle_accounts(now: datetime | None = None) -> int:
    """The job: apply the tenant's active rules at ``now``; returns how many accounts went
    back to the pool."""
    now = now or utcnow()
    rules = db.session.execute(
        select(PoolRule).where(PoolRule.active.is_(True))
        .order_by(PoolRule.created_at, PoolRule.id)).scalars().all()
    returned = 0
    for rule in rules:
        # Fetched in full before moving any, so this rule's moves do not affect its query;
        # the next rule's query no longer finds them (their owner is gone).
        for account, manager_id in db.session.execute(idle_accounts(rule, now)).all():
            return_to_pool(account, RULE, describe(rule), manager_id)
            returned += 1
    return returned
