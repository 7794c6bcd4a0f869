"""Field types the module's schemas share."""

from __future__ import annotations

from marshmallow import fields, validate

#: Minutes in a day: business hours run from 0 (midnight) to 1440 (the next midnight).
DAY_MINUTES = 24 * 60


def required_text(maximum: int, **kwargs) -> fields.String:
    """A required, non-empty text of at most ``maximum`` characters."""
    return fields.String(required=True, validate=validate.Length(min=1, max=maximum), **kwargs)


def one_of(choices: tuple[str, ...], **kwargs) -> fields.String:
    """A text that must be one of ``choices``."""
    return fields.String(validate=validate.OneOf(choices), **kwargs)


def minutes(**kwargs) -> fields.Integer:
    """A positive number of minutes."""
    return fields.Integer(validate=validate.Range(min=1, max=366 * DAY_MINUTES), **kwargs)
