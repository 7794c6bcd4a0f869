"""What still refers to a record about to be deleted, and the 409 that names it.

Before the core deletes a record it asks the tenant's enabled modules
(``patron_record_references``) which of their records refer to it; if any do, the deletion is
refused with :class:`StillReferenced` ("… referenced by 3 opportunities and 1 quote"), which
the API answers as 409 problem+json (in English) and pages show in the user's language.
Rows of a module the tenant switched off are not counted, but their foreign keys still refuse
the deletion: that refusal becomes a :class:`StillReferenced` without names.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

from babel.lists import format_list
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute

from patron.db import db
from patron.errors import Conflict
from patron.plugins.services import tenant_hooks

#: A label: a string (lazy or not), or a function of the count (``ngettext`` inside it).
Label = str | Callable[[int], str]


class Reference(NamedTuple):
    """``count`` records of one kind refer to the record; ``label`` names them."""

    label: Label
    count: int

    def text(self) -> str:
        """The label for the count, in the current locale ("3 opportunities")."""
        return str(self.label(self.count) if callable(self.label) else self.label)


class Referrer(NamedTuple):
    """A column of a module's table that refers to records of a core entity, and how to name
    the rows that do (``lambda n: ngettext("%(num)d quote", "%(num)d quotes", n)``)."""

    column: InstrumentedAttribute
    label: Callable[[int], str]


def count_references(record_id: uuid.UUID, referrers: Sequence[Referrer]) -> list[Reference]:
    """How many rows each of ``referrers`` has pointing at ``record_id``, in one statement
    (one ``COUNT`` subquery per column, scoped to the tenant like any query); only the
    non-zero ones."""
    if not referrers:
        return []
    counts = db.session.execute(select(*(
        select(func.count()).select_from(r.column.class_).where(r.column == record_id)
        .scalar_subquery() for r in referrers
    ))).one()
    return [Reference(r.label, count) for r, count in zip(referrers, counts, strict=True)
            if count]


def references_to(entity: str, record_id: uuid.UUID) -> list[Reference]:
    """What the tenant's enabled modules say still refers to the record."""
    batches = tenant_hooks().patron_record_references(entity=entity, record_id=record_id)
    return [Reference(*item) for batch in batches for item in batch or []]


class StillReferenced(Conflict):
    """A deletion refused because other records refer to the record (409).

    ``str()`` is the English detail the API answers with; :meth:`localized` is the same in the
    current user's language, for pages. Without ``references`` (the database refused, for rows
    of a module that is switched off) it says so without names.
    """

    def __init__(self, references: Iterable[Reference] = ()) -> None:
        self.references = list(references)
        super().__init__(self.__str__())

    def localized(self) -> str:
        """The detail in the current locale."""
        if not self.references:
            return _("This record is still referenced by other records (perhaps of a module "
                     "that is switched off); nothing was deleted.")
        names = format_list([r.text() for r in self.references], locale=get_locale() or "en")
        return _("This record is still referenced by %(references)s; delete or move them "
                 "first. Nothing was deleted.", references=names)

    def __str__(self) -> str:
        with force_locale("en"):
            return self.localized()


def refuse_if_referenced(entity: str | None, record: Any) -> None:
    """Raise :class:`StillReferenced` when an enabled module names records referring to it."""
    if entity:
        references = references_to(entity, record.id)
        if references:
            raise StillReferenced(references)


@contextmanager
def refused_references() -> Iterator[None]:
    """Turn the database's refusal of a delete (a foreign key still pointing at the row) into
    :class:`StillReferenced`; the request's transaction is rolled back as for any 409."""
    try:
        yield
    except IntegrityError as error:
        raise StillReferenced() from error
