"""Plugin metadata."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ModuleInfo:
    """What a plugin says about itself; exported from the plugin as ``patron_module``.

    ``name`` is the module name tenants enable (and the entry-point name); ``requires`` lists
    modules that must be enabled first.
    """

    name: str
    label: str
    version: str = "0"
    description: str = ""
    requires: tuple[str, ...] = field(default_factory=tuple)
