"""The module's operations and reads."""
