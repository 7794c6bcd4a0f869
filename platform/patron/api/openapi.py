"""What the generated OpenAPI document says beyond flask-smorest's defaults, so that tools
accept it and responses match it: errors are ``application/problem+json`` with the problem
body (RFC 9457), decimals are strings with their pattern (a bound of a decimal is not a JSON
number), and read-only fields the server may leave empty are ``nullable``.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

#: A decimal as the API writes it: digits, at most four places.
DECIMAL_PATTERN = r"^-?\d+(\.\d{1,4})?$"
#: Read-only fields every record always has.
ALWAYS_SET = frozenset({"id", "version", "created_at", "updated_at"})


class ProblemSchema(Schema):
    """An error, as RFC 9457 problem details (docs/API.md, "Errors")."""

    type = fields.String(metadata={"example": "about:blank"})
    title = fields.String(metadata={"example": "Unprocessable Entity"})
    status = fields.Integer(metadata={"example": 422})
    detail = fields.String(metadata={"example": "The request has invalid fields."})
    errors = fields.Dict(metadata={
        "description": "Field → messages (nested for nested fields); on 422 only"})


def decimal_strings(converter: Any, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """An apispec attribute function: a decimal written as a string gets its pattern (its
    own, when its metadata states one), and its bounds move into the description
    (``minimum`` must be a number)."""
    if ret.get("type") != "string" or not isinstance(field, fields.Decimal):
        return {}
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        ret.pop(key, None)
    bounds = []
    for limit in (v for v in field.validators if isinstance(v, validate.Range)):
        if limit.min is not None:
            bounds.append(f"{'at least' if limit.min_inclusive else 'above'} {limit.min}")
        if limit.max is not None:
            bounds.append(f"{'at most' if limit.max_inclusive else 'below'} {limit.max}")
    # A field that states its own pattern (Amount: fourteen digits) knows its bounds best.
    extra = {"pattern": ret.get("pattern") or DECIMAL_PATTERN}
    if bounds and "description" not in ret:
        extra["description"] = ", ".join(bounds).capitalize()
    return extra


def nullable_read_only(converter: Any, field: fields.Field, ret: dict, **kwargs: Any) -> dict:
    """An apispec attribute function: a read-only field the server fills later (when a deal
    closed, when a token was last used) is null until then."""
    if field.dump_only and field.name not in ALWAYS_SET and not field.required:
        return {"nullable": True}
    return {}
