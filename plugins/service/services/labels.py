"""Words the module's messages put into sentences, in the reader's language: work-order
statuses and weekdays (lazy, so each is translated when the sentence is made)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from patron_service.models.field_work import (
    CANCELLED,
    COMPLETED,
    DISPATCHED,
    EN_ROUTE,
    NEW,
    ON_SITE,
    SCHEDULED,
    SIGNED_OFF,
)

#: A work order's status as a person reads it.
WORK_ORDER_STATUSES = {
    NEW: _l("New"), SCHEDULED: _l("Scheduled"), DISPATCHED: _l("Dispatched"),
    EN_ROUTE: _l("En route"), ON_SITE: _l("On site"), COMPLETED: _l("Completed"),
    SIGNED_OFF: _l("Signed off"), CANCELLED: _l("Cancelled"),
}
#: The working-hours keys (``mon`` … ``sun``) as a person reads them.
WEEKDAY_NAMES = {
    "mon": _l("Monday"), "tue": _l("Tuesday"), "wed": _l("Wednesday"), "thu": _l("Thursday"),
    "fri": _l("Friday"), "sat": _l("Saturday"), "sun": _l("Sunday"),
}


def status_label(status: str) -> str:
    """The work-order ``status`` in the reader's language (the code itself if unknown)."""
    return str(WORK_ORDER_STATUSES.get(status, status))


def weekday_label(day: str) -> str:
    """The weekday key ``day`` (``mon`` …) in the reader's language."""
    return str(WEEKDAY_NAMES.get(day, day))
