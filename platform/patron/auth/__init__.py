"""Users, passwords, browser sessions and API tokens."""
