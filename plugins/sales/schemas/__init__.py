"""The module's marshmallow schemas."""
