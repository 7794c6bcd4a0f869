"""Live panels modules add to the core's record forms, through
``patron_record_form_panels``."""

from __future__ import annotations

from typing import Any, NamedTuple

from patron.plugins.services import tenant_hooks
from patron.web.record_actions import permitted


class FormPanel(NamedTuple):
    """A module's HTML fragment below a record form's fields: fetched from ``url`` when the
    form opens and whenever one of ``fields`` changes, with their values in the query string;
    hidden from users lacking ``permission``."""

    url: str
    fields: tuple[str, ...] = ()
    permission: str | None = None


def form_panels(entity: str, record: Any = None) -> list[FormPanel]:
    """The panels the tenant's enabled modules add to the form of ``entity`` (editing
    ``record``, or a new one when it is ``None``), as the user may see them."""
    return permitted(FormPanel, tenant_hooks().patron_record_form_panels(entity=entity,
                                                                         record=record))
