"""Core tests use the same fixtures partners get through the ``pytest11`` entry point."""
