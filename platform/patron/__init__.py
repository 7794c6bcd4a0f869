"""Patron CRM core: tenants, users, roles, the customer master and the plugin manager."""

__version__ = "0.1.0"


def create_app(config: dict | None = None):
    """Build the Flask application (see :mod:`patron.app`)."""
    from patron.app import create_app as _create_app

    return _create_app(config)
