"""A fake plugin whose searchable entity is a view of the core's accounts.

It needs no table of its own, so it can show that global search leaves out the entities of
modules a tenant has not enabled (its documents are made by ``patron search reindex``).
"""

from __future__ import annotations

from patron.plugins import ModuleInfo, hookimpl

patron_module = ModuleInfo(name="prospects", label="Prospects", version="1.0")


@hookimpl
def patron_register_entities():
    from patron.customers.models import Account
    from patron.entities import Entity

    return [Entity("prospect", "Prospect", Account, "core.accounts", title="name",
                   searchable=("domain",), module="prospects")]
