"""The service module's permissions and what the default roles get of them."""

from __future__ import annotations

from patron.sdk import ALL, OWN, Permission

#: The module's name: what tenants enable, the first part of every permission.
MODULE = "service"

#: Resource permission prefixes; the part before the action is what data scopes apply to.
TICKETS = f"{MODULE}.tickets"
QUEUES = f"{MODULE}.queues"
SLA = f"{MODULE}.sla"
TECHNICIANS = f"{MODULE}.technicians"
WORK_ORDERS = f"{MODULE}.work_orders"
KB = f"{MODULE}.kb"
CONTRACTS = f"{MODULE}.contracts"
REPORTS = f"{MODULE}.reports"

CRUD = ("read", "create", "update", "delete")
#: Booking technicians for a work order (the dispatcher's job), conflicts refused.
SCHEDULE_WORK_ORDERS = f"{WORK_ORDERS}.schedule"

PERMISSIONS = [
    *(Permission(f"{TICKETS}.{action}", f"{action.title()} tickets") for action in CRUD),
    *(Permission(f"{QUEUES}.{action}", f"{action.title()} service queues") for action in CRUD),
    *(Permission(f"{SLA}.{action}", f"{action.title()} SLA policies, business hours and "
                 "holidays") for action in CRUD),
    *(Permission(f"{TECHNICIANS}.{action}", f"{action.title()} technicians and time off")
      for action in CRUD),
    *(Permission(f"{WORK_ORDERS}.{action}", f"{action.title()} work orders") for action in CRUD),
    Permission(SCHEDULE_WORK_ORDERS, "Schedule work orders"),
    *(Permission(f"{KB}.{action}", f"{action.title()} knowledge-base articles")
      for action in CRUD),
    *(Permission(f"{CONTRACTS}.{action}", f"{action.title()} service contracts and "
                 "warranties") for action in CRUD),
    Permission(f"{REPORTS}.read", "Read the service reports"),
]

#: Agents work the shared queues (every ticket of the tenant), dispatch field work and write
#: the knowledge base.
_AGENT = [f"{TICKETS}.read", f"{TICKETS}.create", f"{TICKETS}.update", f"{QUEUES}.read",
          f"{SLA}.read", f"{TECHNICIANS}.read", f"{WORK_ORDERS}.read", f"{WORK_ORDERS}.create",
          f"{WORK_ORDERS}.update", SCHEDULE_WORK_ORDERS, f"{KB}.read", f"{KB}.create",
          f"{KB}.update", f"{CONTRACTS}.read", f"{REPORTS}.read"]
#: Technicians see the tickets assigned to them and work their own work orders.
_TECHNICIAN = [f"{TICKETS}.read", f"{TECHNICIANS}.read", f"{WORK_ORDERS}.read",
               f"{WORK_ORDERS}.update", f"{KB}.read"]

DEFAULT_ROLES = {
    "service_agent": {
        "permissions": _AGENT,
        "scopes": dict.fromkeys((TICKETS, QUEUES, SLA, TECHNICIANS, WORK_ORDERS, KB,
                                 CONTRACTS), ALL),
    },
    "technician": {
        "permissions": _TECHNICIAN,
        "scopes": {TICKETS: OWN, WORK_ORDERS: OWN, TECHNICIANS: ALL, KB: ALL},
    },
}
