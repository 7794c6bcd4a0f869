"""The sales module's permissions and what the default roles get of them."""

from __future__ import annotations

from patron.sdk import ALL, DEPARTMENT_TREE, OWN, Permission

#: Resource permission prefixes; the part before the action is what data scopes apply to.
LEADS = "sales.leads"
OPPORTUNITIES = "sales.opportunities"
PIPELINES = "sales.pipelines"
PRICE_LISTS = "sales.price_lists"
QUOTES = "sales.quotes"
ORDERS = "sales.orders"
CONTRACTS = "sales.contracts"
QUOTAS = "sales.quotas"
APPROVALS = "sales.approvals"
SETTINGS = "sales.settings"
FORECAST = "sales.forecast"
FUNNEL = "sales.funnel"
POOL = "sales.pool"

#: The core's accounts, which the customer pool hands out.
ACCOUNTS = "core.accounts"

CRUD = ("read", "create", "update", "delete")
#: Turning a lead into an account, a contact and a deal.
CONVERT_LEADS = f"{LEADS}.convert"
#: Taking accounts from the customer pool (and giving one's own back); changing its rules.
READ_POOL = f"{POOL}.read"
CLAIM_POOL = f"{POOL}.claim"
MANAGE_POOL = f"{POOL}.manage"

PERMISSIONS = [
    *(Permission(f"{LEADS}.{action}", f"{action.title()} leads") for action in CRUD),
    Permission(CONVERT_LEADS, "Convert leads"),
    *(Permission(f"{OPPORTUNITIES}.{action}", f"{action.title()} opportunities")
      for action in CRUD),
    *(Permission(f"{PIPELINES}.{action}", f"{action.title()} pipelines and stages")
      for action in CRUD),
    *(Permission(f"{PRICE_LISTS}.{action}", f"{action.title()} price lists")
      for action in CRUD),
    *(Permission(f"{QUOTES}.{action}", f"{action.title()} quotes") for action in CRUD),
    *(Permission(f"{ORDERS}.{action}", f"{action.title()} orders")
      for action in ("read", "create", "update")),
    *(Permission(f"{CONTRACTS}.{action}", f"{action.title()} contracts") for action in CRUD),
    *(Permission(f"{QUOTAS}.{action}", f"{action.title()} sales quotas") for action in CRUD),
    Permission(f"{APPROVALS}.read", "Read approval requests"),
    Permission(f"{APPROVALS}.update", "Approve or reject requests"),
    Permission(f"{SETTINGS}.read", "Read the sales settings"),
    Permission(f"{SETTINGS}.update", "Change the sales settings"),
    Permission(f"{FORECAST}.read", "Read the sales forecast"),
    Permission(f"{FUNNEL}.read", "Read the sales funnel"),
    Permission(f"{POOL}.read", "Read the customer pool"),
    Permission(CLAIM_POOL, "Claim accounts from the customer pool and release own ones"),
    Permission(MANAGE_POOL, "Manage the customer pool's rules and claim limits"),
]

_WORK_DEALS = [f"{LEADS}.read", f"{LEADS}.create", f"{LEADS}.update", CONVERT_LEADS,
               f"{OPPORTUNITIES}.read", f"{OPPORTUNITIES}.create",
               f"{OPPORTUNITIES}.update", f"{PIPELINES}.read", f"{FORECAST}.read",
               f"{FUNNEL}.read", f"{PRICE_LISTS}.read", f"{QUOTES}.read", f"{QUOTES}.create",
               f"{QUOTES}.update", f"{ORDERS}.read", f"{ORDERS}.create", f"{CONTRACTS}.read",
               f"{CONTRACTS}.create", f"{CONTRACTS}.update", f"{QUOTAS}.read",
               f"{SETTINGS}.read", f"{POOL}.read", CLAIM_POOL]
#: The records reps own and managers oversee by department.
_OWNED = (LEADS, OPPORTUNITIES, QUOTES, ORDERS, CONTRACTS, QUOTAS)

#: Reps work their own records; managers those of their department and below, may delete
#: them and shape pipelines and price lists, which are the tenant's and seen by everyone.
DEFAULT_ROLES = {
    "sales_rep": {
        "permissions": _WORK_DEALS,
        "scopes": {**dict.fromkeys(_OWNED, OWN), PIPELINES: ALL, PRICE_LISTS: ALL},
    },
    "sales_manager": {
        "permissions": [*_WORK_DEALS,
                        *(f"{resource}.delete" for resource in
                          (LEADS, OPPORTUNITIES, QUOTES, CONTRACTS)),
                        f"{ORDERS}.update", f"{APPROVALS}.read", f"{APPROVALS}.update",
                        MANAGE_POOL,
                        *(f"{resource}.{action}" for resource in (PIPELINES, PRICE_LISTS, QUOTAS)
                          for action in ("create", "update", "delete"))],
        # An approval belongs to the manager asked: they decide their own requests.
        "scopes": {**dict.fromkeys(_OWNED, DEPARTMENT_TREE), PIPELINES: ALL,
                   PRICE_LISTS: ALL, APPROVALS: OWN},
    },
}
