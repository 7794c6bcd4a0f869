"""UUIDv7 identifiers (DESIGN.md invariant 2): time-ordered, globally unique, not enumerable.

RFC 9562 layout: 48 bits of Unix milliseconds, the version (7), 74 random bits around the
variant. Ids made by one process are strictly increasing, even within one millisecond (the
RFC's "monotonic random" method: the next id of the same millisecond is the previous one plus
one), so sorting by id is sorting by creation. Made here rather than by a library: a batch
write takes several ids per record, and building each through an intermediate UUID object
cost more than the rest of the id.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_VERSION_AND_VARIANT = (0x7 << 76) | (0b10 << 62)
_RAND_A = 0xFFF << 64
_RAND_B = (1 << 62) - 1
_UNKNOWN_SAFETY = uuid.SafeUUID.unknown  # an enum member looked up once, not per id
_lock = threading.Lock()
_last = 0


def new_id() -> uuid.UUID:
    """Return a new UUIDv7, greater than every id this process made before."""
    global _last
    random = int.from_bytes(os.urandom(10))
    value = ((time.time_ns() // 1_000_000) << 80 | _VERSION_AND_VARIANT
             | (random & _RAND_A) | (random & _RAND_B))
    with _lock:
        if value <= _last:
            value = _last + 1
        _last = value
    # uuid.UUID(int=...) re-checks the range and the version bits of a value built right
    # here; setting its two slots directly makes the same object in a third of the time.
    made = object.__new__(uuid.UUID)
    object.__setattr__(made, "int", value)
    object.__setattr__(made, "is_safe", _UNKNOWN_SAFETY)
    return made
