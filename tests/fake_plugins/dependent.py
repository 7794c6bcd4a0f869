"""A fake plugin that requires the ``gated`` module."""

from patron.plugins import ModuleInfo

patron_module = ModuleInfo(name="dependent", label="Dependent", requires=("gated",))
