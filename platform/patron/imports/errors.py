"""Row errors of an import: what was wrong, on which line of the file, in which field."""

from __future__ import annotations

from typing import Any

from patron.records.refusals import flatten

#: Errors kept on the job; past that they are only counted (the user fixes the file and
#: tries again long before reading a thousand messages).
MAX_ERRORS = 1000


class ImportFailed(Exception):
    """The import cannot go on at all (unreadable file, lost permission); nothing is written.

    The message is shown to the user as the job's ``detail``.
    """


class ErrorLog:
    """The errors of one import: the first :data:`MAX_ERRORS` kept, every one counted.

    ``columns`` maps a field to the CSV column it came from, so each error names both.
    """

    def __init__(self, columns: dict[str, str]) -> None:
        self.columns = columns
        self.kept: list[dict] = []
        self.count = 0
        self.bad_rows = 0

    def add_row(self, line: int, messages: Any) -> None:
        """Record the errors of the row starting on ``line`` (one bad row, however many)."""
        self.bad_rows += 1
        for field, message in flatten(messages):
            self.count += 1
            if len(self.kept) < MAX_ERRORS:
                self.kept.append({"line": line, "field": field,
                                  "column": self._column(field), "message": message})

    def listing(self) -> list[dict]:
        """The kept errors in the order of the file."""
        return sorted(self.kept, key=lambda error: error["line"])

    def _column(self, field: str | None) -> str | None:
        """The column of ``field`` or of the field it is part of (``emails.0`` → ``emails``)."""
        while field:
            if field in self.columns:
                return self.columns[field]
            field = field.rpartition(".")[0]
        return None
