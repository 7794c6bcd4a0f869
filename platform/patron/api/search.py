"""``GET /search``: global search across the entities of the tenant's enabled modules."""

from __future__ import annotations

from marshmallow import fields, validate

from patron.api.blueprint import PatronBlueprint
from patron.records.paging import DEFAULT_LIMIT, MAX_LIMIT
from patron.schemas import BaseSchema, page_schema
from patron.search.query import MAX_QUERY_LENGTH, search

blp = PatronBlueprint("search", __name__, description="Global search")


class SearchArgsSchema(BaseSchema):
    """What to search for."""

    q = fields.String(
        required=True,
        validate=[validate.Regexp(r"\s*\S", error="Type something to search for."),
                  validate.Length(max=MAX_QUERY_LENGTH)],
        metadata={"description": "Words to find; each matches the start of a word "
                                 "(`acm corp` finds \"Acme Corporation\"), all are required."},
    )
    entity = fields.String(metadata={"description": "Search only this entity, e.g. `account`"})
    limit = fields.Integer(load_default=DEFAULT_LIMIT,
                           validate=validate.Range(min=1, max=MAX_LIMIT))


class SearchHitSchema(BaseSchema):
    """A record that matched, best first."""

    entity = fields.String(dump_only=True)
    id = fields.UUID(dump_only=True)
    title = fields.String(dump_only=True)
    snippet = fields.String(dump_only=True,
                            metadata={"description": "Words around the match, if any"})


@blp.route("/search")
@blp.arguments(SearchArgsSchema, location="query")
@blp.response(200, page_schema(SearchHitSchema))
def search_records(args):
    """Find records of every entity the caller may read (ranked; one page, no cursor)"""
    return {"items": search(args["q"], args.get("entity"), args["limit"]),
            "next_cursor": None}
