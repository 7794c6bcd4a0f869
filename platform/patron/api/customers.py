"""``/accounts`` (with ``/accounts/<id>/360``), ``/contacts``, ``/products``, ``/activities``."""

from __future__ import annotations

import uuid

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.customers.models import Account
from patron.customers.overview import account_overview
from patron.customers.schemas import Account360Schema
from patron.customers.specs import ACCOUNTS, ACTIVITIES, CONTACTS, PRODUCTS
from patron.rbac.access import get_scoped_or_404, require, require_user

blp = PatronBlueprint("customers", __name__, description="Customer master")

for spec in (ACCOUNTS, CONTACTS, PRODUCTS, ACTIVITIES):
    register_crud(blp, spec)


@blp.route("/accounts/<uuid:record_id>/360")
@blp.response(200, Account360Schema)
def account_360(record_id: uuid.UUID) -> dict:
    """The account with its contacts, recent timeline, files and the panels of its modules"""
    require("core.accounts.read")
    account = get_scoped_or_404(Account, record_id, ACCOUNTS.permission)
    return account_overview(account, require_user())
