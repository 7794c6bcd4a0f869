"""CSV exports: what a list shows, as a streamed CSV file.

The rows come from the list endpoint's own query (:func:`patron.api.resources.list_records`)
with its filters, sort, data scope and field rules, one keyset page after another, so memory
stays flat however many records there are. Columns are the fields the API shows (by name,
hidden fields left out) and the custom fields as ``custom.<name>``; a file exported this way
imports again. Each reference is followed by the title of the record it names (``account_id``,
then ``account``: one lookup per kind of record and page), for people reading the file; an
import maps the id column, which comes first.

Cells that a spreadsheet would run as a formula (they begin with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return) get a leading single quote (OWASP, "CSV Injection").
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

from flask_login import current_user
from marshmallow import fields as ma_fields

from patron.db import require_tenant_id, tenant_context
from patron.imports.mapping import CUSTOM_PREFIX, LIST_SEPARATOR
from patron.imports.target import Target
from patron.rbac.field_security import hidden_fields
from patron.records.listing import list_records
from patron.records.spec import response_schema
from patron.records.targets import reference_target, titles

#: Records fetched (and CSV written) at a time.
PAGE_SIZE = 500
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text`` made safe to open in a spreadsheet: a would-be formula becomes text."""
    return f"'{text}" if text.startswith(FORMULA_TRIGGERS) else text


def cell_text(value: Any) -> str:
    """How a dumped value reads in a cell (lists as the import reads them back)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
        return LIST_SEPARATOR.join(cell_text(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


class Export:
    """The CSV export of one target's records, filtered and sorted as ``args`` say."""

    def __init__(self, target: Target, args: dict) -> None:
        self.spec = target.spec
        self.args = args
        self.tenant_id = require_tenant_id()
        self.schema = response_schema(target.spec)
        hidden = hidden_fields(target.entity.name)
        dump_fields = self.schema.dump_fields.items()
        self.fields = [key for key in (field.data_key or name for name, field in dump_fields)
                       if key != "custom" and key not in hidden]
        #: Field → what it refers to, for the references among the fields.
        self.references: dict[str, str] = {}
        for name, field in dump_fields:
            key = field.data_key or name
            found = (reference_target(key, field, target.entity.name)
                     if key in self.fields and isinstance(field, ma_fields.UUID) else None)
            if found:
                self.references[key] = found
        self.custom = [definition.name for definition in target.definitions()
                       if f"{CUSTOM_PREFIX}{definition.name}" not in hidden]

    @property
    def header(self) -> list[str]:
        """The column names: field names (each reference followed by its title's column,
        ``account`` after ``account_id``), then ``custom.<name>``."""
        names = []
        for name in self.fields:
            names.append(name)
            if name in self.references:
                names.append(name.removesuffix("_id"))
        return [*names, *(f"{CUSTOM_PREFIX}{name}" for name in self.custom)]

    def chunks(self) -> Iterator[str]:
        """The file: the header, then a page of records per chunk.

        The first page is read before this returns, so bad filters are a 422, not a broken
        download.
        """
        return self._stream(self._page(None))

    def _stream(self, first: tuple[str, str | None]) -> Iterator[str]:
        yield self._csv([self.header])
        text, cursor = first
        yield text
        while cursor:
            text, cursor = self._page(cursor)
            yield text

    def _page(self, cursor: str | None) -> tuple[str, str | None]:
        """One page of records as CSV, and the cursor of the next page.

        Flask has torn the request down (and reset the tenant) by the time a streamed body
        is read, so each page is read inside the tenant's context again.
        """
        with tenant_context(self.tenant_id):
            page = list_records(self.spec, {**self.args, "limit": PAGE_SIZE, "cursor": cursor},
                                current_user)
            dumped = [self.schema.dump(record) for record in page["items"]]
            names = self._titles(dumped)
            text = self._csv(self.row(data, names) for data in dumped)
        return text, page["next_cursor"]

    def _titles(self, page: list[dict]) -> dict[str, str]:
        """The titles of the records the page's references name (one query per target)."""
        wanted: dict[str, set[uuid.UUID]] = {}
        for data in page:
            for name, target in self.references.items():
                if data.get(name):
                    wanted.setdefault(target, set()).add(uuid.UUID(str(data[name])))
        names: dict[str, str] = {}
        for target, ids in wanted.items():
            names |= titles(target, ids)
        return names

    @staticmethod
    def _csv(rows: Iterable[list[str]]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue()

    def row(self, data: dict, names: dict[str, str]) -> list[str]:
        """The cells of one dumped record (``names``: titles of the records it refers to)."""
        custom = data.get("custom") or {}
        values = []
        for name in self.fields:
            values.append(data.get(name))
            if name in self.references:
                values.append(names.get(str(data.get(name))) if data.get(name) else None)
        values += [custom.get(name) for name in self.custom]
        return [neutralise(cell_text(value)) for value in values]
