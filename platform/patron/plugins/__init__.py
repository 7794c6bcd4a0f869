"""The plugin manager: pluggy, the ``patron.plugins`` entry points, per-tenant gating.

A plugin is a module (or package) that exposes ``patron_module`` (a :class:`ModuleInfo`) and
``@hookimpl`` functions for the hooks in :mod:`patron.plugins.hookspecs`.
"""

from patron.plugins.info import ModuleInfo
from patron.plugins.manager import hookimpl

__all__ = ["ModuleInfo", "hookimpl"]
