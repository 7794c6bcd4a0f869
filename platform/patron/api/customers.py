"""``/accounts`` (with ``/accounts/<id>/360``), ``/contacts``, ``/products``, ``/activities``."""

from __future__ import annotations

import uuid

from patron.api.blueprint import PatronBlueprint
from patron.api.resources import register_crud
from patron.customers import services
from patron.customers.models import Account, Activity, Contact, Product
from patron.customers.overview import account_overview
from patron.customers.schemas import (
    Account360Schema,
    AccountSchema,
    ActivitySchema,
    ContactSchema,
    ProductSchema,
)
from patron.rbac.access import get_scoped_or_404, require, require_user
from patron.records.spec import ResourceSpec

blp = PatronBlueprint("customers", __name__, description="Customer master")

ACCOUNTS = ResourceSpec(
    name="accounts", model=Account, schema=AccountSchema, permission="core.accounts",
    event="account", entity="account",
    filterable=("name", "domain", "industry", "kind", "status", "size", "parent_id",
                "department_id", "owner_id", "created_at"),
    searchable=("name", "domain"), sortable=("name", "domain", "status", "created_at",
                                             "updated_at"),
    **services.ACCOUNTS.callbacks(),
)
CONTACTS = ResourceSpec(
    name="contacts", model=Contact, schema=ContactSchema, permission="core.contacts",
    event="contact", entity="contact",
    filterable=("email", "account_id", "email_opt_in", "phone_opt_in", "owner_id",
                "created_at"),
    searchable=("first_name", "last_name", "email"),
    sortable=("last_name", "first_name", "email", "created_at", "updated_at"),
    **services.CONTACTS.callbacks(),
)
PRODUCTS = ResourceSpec(
    name="products", model=Product, schema=ProductSchema, permission="core.products",
    event="product", entity="product",
    filterable=("sku", "active", "currency", "list_price", "created_at"),
    searchable=("sku", "name"), sortable=("sku", "name", "list_price", "created_at"),
    **services.PRODUCTS.callbacks(),
)
ACTIVITIES = ResourceSpec(
    name="activities", model=Activity, schema=ActivitySchema, permission="core.activities",
    event="activity", entity="activity",
    filterable=("kind", "status", "priority", "account_id", "contact_id", "related_entity",
                "related_id", "due_at", "start_at", "owner_id", "created_at"),
    searchable=("subject", "description"),
    sortable=("due_at", "start_at", "priority", "created_at", "updated_at"),
    **services.ACTIVITIES.callbacks(),
)

for spec in (ACCOUNTS, CONTACTS, PRODUCTS, ACTIVITIES):
    register_crud(blp, spec)


@blp.route("/accounts/<uuid:record_id>/360")
@blp.response(200, Account360Schema)
def account_360(record_id: uuid.UUID) -> dict:
    """The account with its contacts, recent timeline, files and the panels of its modules"""
    require("core.accounts.read")
    account = get_scoped_or_404(Account, record_id, ACCOUNTS.permission)
    return account_overview(account, require_user())
