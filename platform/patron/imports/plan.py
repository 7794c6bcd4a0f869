"""What the validation pass hands the import pass: the valid rows, loaded, batch by batch.

Kept in a file next to the upload so memory stays flat however long the file is. It is
pickled because loaded values are Python objects (``Decimal``, ``date``, ``UUID``) that JSON
would turn back into strings to load again; the file is written and read only by the worker,
under ``PATRON_HOME``, never taken from a client.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple


class PlannedRow(NamedTuple):
    """A valid row: its line, its fields as the API schema loaded them, its custom values
    as sent (None when the row has none)."""

    line: int
    values: dict
    custom: dict | None


class Plan:
    """The plan file of one import."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[bytes] | None = None

    def __enter__(self) -> Plan:
        self._file = self.path.open("wb")
        return self

    def __exit__(self, *exc_info) -> None:
        assert self._file is not None
        self._file.close()
        self._file = None

    def add(self, batch: list[PlannedRow]) -> None:
        """Append one batch (inside ``with plan:``)."""
        assert self._file is not None, "write a plan inside 'with plan:'"
        pickle.dump(batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)

    def batches(self) -> Iterator[list[PlannedRow]]:
        """The batches in the order they were added."""
        with self.path.open("rb") as file:
            while True:
                try:
                    yield pickle.load(file)  # written by this worker: see above
                except EOFError:
                    return
