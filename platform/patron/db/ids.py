"""UUIDv7 identifiers (DESIGN.md invariant 2): time-ordered, globally unique, not enumerable."""

import uuid

import uuid6


def new_id() -> uuid.UUID:
    """Return a new UUIDv7 as a standard :class:`uuid.UUID`."""
    return uuid.UUID(int=uuid6.uuid7().int)
