"""``/api/v1/hello/greetings``: one resource, with the API conventions from ``register_crud``."""

from __future__ import annotations

from patron.sdk import PatronBlueprint, register_crud
from patron_hello.services import GREETING_SPEC

blp = PatronBlueprint("hello", __name__, description="Greetings (the Hello example module)")

register_crud(blp, GREETING_SPEC)
