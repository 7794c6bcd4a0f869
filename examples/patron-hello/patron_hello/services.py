"""What the module does with greetings, whichever interface asks: the API and the page use the
same spec (the rules, events and audit trail come with the SDK's record operations)."""

from __future__ import annotations

from patron.sdk import Permission, ResourceSpec, db, scoped_select
from patron_hello.models import Greeting
from patron_hello.schemas import GreetingSchema

#: Resource permission prefix: ``hello.greetings.read|create|update|delete``.
GREETINGS = "hello.greetings"

PERMISSIONS = [Permission(f"{GREETINGS}.{action}", f"{action.title()} greetings")
               for action in ("read", "create", "update", "delete")]

GREETING_SPEC = ResourceSpec(
    name="greetings", model=Greeting, schema=GreetingSchema, permission=GREETINGS,
    event="greeting", filterable=("language", "owner_id", "created_at"),
    searchable=("message",), sortable=("created_at", "language"),
)


def newest_greetings(limit: int) -> list[Greeting]:
    """The newest greetings the signed-in user may see (their data scope applies)."""
    statement = (scoped_select(Greeting, GREETINGS)
                 .order_by(Greeting.created_at.desc()).limit(limit))
    return list(db.session.execute(statement).scalars())
