"""Global search in the pages: the top bar's typeahead and the full results page.

Both answer through :func:`patron.search.query.search`, the API's own search, so a person sees
exactly the records the API would give them (their entities, data scopes and field rules).
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from patron.search.query import MAX_QUERY_LENGTH, search
from patron.web.fields import entity_spec
from patron.web.labels import label
from patron.web.links import record_url

bp = Blueprint("search_pages", __name__, url_prefix="/search")

#: Hits the typeahead shows; the results page shows :data:`PAGE_HITS`.
SUGGESTED_HITS = 8
PAGE_HITS = 50


def _query() -> tuple[str, str | None]:
    """The words asked for, and why they cannot be searched for (or ``None``)."""
    query = " ".join(request.args.get("q", "").split())
    if len(query) > MAX_QUERY_LENGTH:
        return query, _("Search for at most %(count)d characters.", count=MAX_QUERY_LENGTH)
    return query, None


def _grouped(hits: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Hits by record type (the type of the best hit first), each linked to its page."""
    order = {hit["entity"]: index for index, hit in reversed(list(enumerate(hits)))}
    for hit in hits:
        spec = entity_spec(hit["entity"])
        hit["url"] = record_url(hit["entity"], hit["id"]) if spec is not None else None
    ordered = sorted(hits, key=lambda hit: order[hit["entity"]])
    return [(str(_plural(entity)), list(group))
            for entity, group in groupby(ordered, key=lambda hit: hit["entity"])]


def _plural(entity: str) -> str:
    spec = entity_spec(entity)
    return label(spec.name) if spec is not None else label(entity)


@bp.route("/")
@login_required
def results():
    """Every record type's best hits for ``q``, grouped by type."""
    query, problem = _query()
    hits = search(query, None, PAGE_HITS) if query and not problem else []
    return render_template("search/results.html", query=query, problem=problem,
                           groups=_grouped(hits), count=len(hits), limit=PAGE_HITS)


@bp.route("/suggest")
@login_required
def suggest():
    """The typeahead's fragment: the best few hits for ``q`` by type, and a link to all."""
    query, problem = _query()
    hits = search(query, None, SUGGESTED_HITS) if query and not problem else []
    return render_template("search/_suggestions.html", query=query, groups=_grouped(hits),
                           problem=problem)
