"""Field types the sales module's schemas share: required text, whole and decimal
percentages, and the custom values of a record another action creates."""

from __future__ import annotations

from decimal import Decimal

from marshmallow import ValidationError, fields, validate

from patron.sdk import BaseSchema, custom_values


def required_text(maximum: int, **kwargs) -> fields.String:
    """A required, non-empty text of at most ``maximum`` characters."""
    return fields.String(required=True, validate=validate.Length(min=1, max=maximum), **kwargs)


def percentage(**kwargs) -> fields.Integer:
    """A whole percentage, 0 to 100."""
    return fields.Integer(validate=validate.Range(min=0, max=100), **kwargs)


class Percent(fields.Decimal):
    """A percentage between 0 and 100 with at most two decimals, as a decimal string."""

    PLACES = Decimal("0.01")

    def __init__(self, **kwargs) -> None:
        super().__init__(as_string=True, validate=self._check, metadata={
            "type": "string", "format": "decimal", "example": "12.5",
            "pattern": r"^(100(\.0{1,2})?|\d{1,2}(\.\d{1,2})?)$"}, **kwargs)

    @staticmethod
    def _check(value: Decimal) -> None:
        if not 0 <= value <= 100:
            raise ValidationError("Must be between 0 and 100.")
        if value.as_tuple().exponent < -2:
            raise ValidationError("Use at most two decimal places.")

    def _serialize(self, value, attr, obj, **kwargs) -> str | None:
        quantized = None if value is None else Decimal(value).quantize(self.PLACES)
        return super()._serialize(quantized, attr, obj, **kwargs)


class CreatedRecordSchema(BaseSchema):
    """The custom values of a record an action creates beside its own work (a lead's
    conversion makes an account and a contact, accepting a quote makes an order), those the
    tenant made required included."""

    custom = custom_values()
