"""How the customer master is exposed: one :class:`~patron.records.spec.ResourceSpec` per
model, shared by the API (:mod:`patron.api.customers`), pages, imports and exports."""

from __future__ import annotations

from patron.customers import services
from patron.customers.models import Account, Activity, Contact, Product
from patron.customers.schemas import AccountSchema, ActivitySchema, ContactSchema, ProductSchema
from patron.records.spec import ResourceSpec

ACCOUNTS = ResourceSpec(
    name="accounts", model=Account, schema=AccountSchema, permission="core.accounts",
    event="account", entity="account",
    filterable=("name", "domain", "industry", "kind", "status", "size", "parent_id",
                "department_id", "owner_id", "created_at"),
    searchable=("name", "domain"), sortable=("name", "domain", "status", "created_at",
                                             "updated_at"),
    rules=services.ACCOUNT_RULES,
)
CONTACTS = ResourceSpec(
    name="contacts", model=Contact, schema=ContactSchema, permission="core.contacts",
    event="contact", entity="contact",
    filterable=("email", "account_id", "email_opt_in", "phone_opt_in", "owner_id",
                "created_at"),
    searchable=("first_name", "last_name", "email"),
    sortable=("last_name", "first_name", "email", "created_at", "updated_at"),
    rules=services.CONTACT_RULES,
)
PRODUCTS = ResourceSpec(
    name="products", model=Product, schema=ProductSchema, permission="core.products",
    event="product", entity="product",
    filterable=("sku", "active", "currency", "list_price", "created_at"),
    searchable=("sku", "name"), sortable=("sku", "name", "list_price", "created_at"),
    rules=services.PRODUCT_RULES,
)
ACTIVITIES = ResourceSpec(
    name="activities", model=Activity, schema=ActivitySchema, permission="core.activities",
    event="activity", entity="activity",
    filterable=("kind", "status", "priority", "account_id", "contact_id", "related_entity",
                "related_id", "due_at", "start_at", "owner_id", "created_at"),
    searchable=("subject", "description"),
    sortable=("due_at", "start_at", "priority", "created_at", "updated_at"),
    rules=services.ACTIVITY_RULES,
)
