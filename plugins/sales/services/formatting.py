"""How the module's pages and documents write numbers and dates."""

from __future__ import annotations

from flask_babel import format_date, format_datetime, format_decimal


def formatting() -> dict:
    """Numbers, dates and moments in the user's language (blank when there is none; money
    is the core's ``money``)."""
    return {
        "number": format_decimal,
        "day": lambda value: format_date(value) if value else "",
        "moment": lambda value: format_datetime(value, "medium") if value else "",
    }
