"""Where a link to a record goes: its module's own page when the entity names one
(:attr:`patron.entities.Entity.page`: a deal's page, a ticket's), else the generic record
page. Pages, search results, the audit log and the 360° view link through here, so every link
to a record lands on its best page."""

from __future__ import annotations

import uuid

from flask import url_for

from patron.entities import entities


def record_url(entity: str, record_id: uuid.UUID | str) -> str:
    """The best page of ``entity``'s record ``record_id``."""
    found = entities().get(entity)
    if found is not None and found.page:
        return url_for(found.page, record_id=record_id)
    return url_for("records.record_detail", entity=entity, record_id=record_id)
