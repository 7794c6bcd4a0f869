"""The module's tables."""
