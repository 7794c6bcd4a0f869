"""Permission strings ``module.resource.action``, declared by ``patron_register_permissions``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from patron.plugins.manager import registrations


@dataclass(frozen=True)
class Permission:
    """A declared permission. ``resource`` (all but the action) is what data scopes apply to."""

    name: str
    label: str = ""

    @property
    def resource(self) -> str:
        """``core.accounts`` for ``core.accounts.read``."""
        return self.name.rsplit(".", 1)[0]


def declared_permissions() -> dict[str, Permission]:
    """Every permission declared by the core and the installed plugins."""
    return {p.name: p for p in registrations("patron_register_permissions")}


def grants(held: Iterable[str], permission: str) -> bool:
    """Whether a role holding ``held`` may do ``permission``.

    ``*`` grants everything; ``module.*`` everything of a module.
    """
    for p in held:
        if p == "*" or p == permission or (p.endswith(".*") and permission.startswith(p[:-1])):
            return True
    return False


def unknown_permissions(names: Iterable[str]) -> list[str]:
    """The names that are neither declared permissions nor valid wildcards."""
    declared = declared_permissions()
    modules = {n.split(".", 1)[0] for n in declared}
    return [
        n for n in names
        if n != "*" and n not in declared
        and not (n.endswith(".*") and n[:-2] in modules)
    ]
