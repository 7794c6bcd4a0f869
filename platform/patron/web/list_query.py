"""The query string of a list page, translated for :func:`~patron.api.resources.list_records`.

The page's filter form uses the API's parameters (``name__contains``, ``created_at__gte``,
``custom.<name>``, ``q``, ``owner``, ``sort``), so a saved view or a copied URL means the same
as an API query; empty inputs are dropped, and dates typed into a range filter on a
date-and-time field become the start or end of that day in the tenant's time zone.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for
from werkzeug.datastructures import MultiDict

from patron.web.fields import FieldInfo
from patron.web.record_forms import day_bound

#: Parameters of the page itself, never passed on as filters (``columns``: the columns the
#: page shows, chosen by the user and saved with a view like its filters).
PAGE_PARAMS = ("limit", "count", "columns")


def list_args(args: MultiDict, fields: list[FieldInfo], limit: int) -> dict[str, str | int]:
    """``list_records`` arguments from a list page's query string."""
    datetimes = {f.name for f in fields if f.kind == "datetime"}
    result: dict[str, str | int] = {}
    for param, raw in args.items():
        value = raw.strip()
        if not value or param in PAGE_PARAMS:
            continue
        name, _, operator = param.partition("__")
        if name in datetimes and operator in ("gte", "lte"):
            value = day_bound(value, end=operator == "lte")
        result[param] = value
    result["limit"] = limit
    return result


def list_url(entity: str, args: dict[str, str | list[str]]) -> str:
    """The list page of ``entity`` with the query ``args`` (a list for a parameter given more
    than once; passed as a query string, never as ``url_for`` keywords, which a parameter
    called ``entity`` or ``_external`` would hijack)."""
    return url_for("records.record_list", entity=entity) + "?" + urlencode(args, doseq=True)


def query_without(args: MultiDict, *names: str) -> str:
    """The query string minus ``names`` and empty values (what a saved view stores)."""
    return urlencode([(k, v) for k, v in args.items(multi=True) if k not in names and v])
