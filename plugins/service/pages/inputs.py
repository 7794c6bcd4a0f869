"""What the service pages read from a request (record ids, days, the version a form was
based on) and how they word a refusal."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from flask import request
from flask_babel import lazy_gettext as _l

from patron.sdk import Outcome

#: A page's form sent a version the record has moved past (the core's 409 is for the API).
STALE = _l("This record changed meanwhile; reload the page and try again.")


def parse_id(text: str | None) -> uuid.UUID | None:
    """A record id sent by a form, or ``None`` for anything else."""
    try:
        return uuid.UUID(text or "")
    except ValueError:
        return None


def parse_day(text: str | None, default: date | None) -> date | None:
    """The day named ``YYYY-MM-DD``, or ``default`` when none (or nonsense) is given."""
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def page_version_matches(record: Any) -> bool:
    """Whether the ``version`` the page's form sent (if any) is the record's current one."""
    sent = request.form.get("version", type=int)
    return sent is None or sent == record.version


def refusal_text(outcome: Outcome) -> str:
    """Why a write was refused (its field and form messages), as one sentence for the page."""
    return " ".join(message for messages in outcome.errors.values() for message in messages)
