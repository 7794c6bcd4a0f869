"""Tenants: the unit of isolation, with their locale, timezone, currency, plan and status."""
