"""What one run of an import carries through its passes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from patron.imports.errors import ErrorLog
from patron.imports.mapping import RowMapper
from patron.imports.matching import Matcher
from patron.imports.parsing import CsvFile
from patron.imports.progress import Progress
from patron.imports.target import ImportTarget


@dataclass
class Counts:
    """Rows that created, updated or skipped a record (or would, in a dry run)."""

    created: int = 0
    updated: int = 0
    skipped: int = 0

    def columns(self) -> dict[str, int]:
        """The counts as :class:`~patron.imports.models.ImportJob` columns."""
        return {"created_count": self.created, "updated_count": self.updated,
                "skipped_count": self.skipped}


@dataclass
class ImportRun:
    """The file, the target, the options and the tallies of one import being run."""

    job_id: uuid.UUID
    target: ImportTarget
    source: CsvFile
    mapper: RowMapper
    matcher: Matcher
    errors: ErrorLog
    progress: Progress
    batch_size: int
    counts: Counts = field(default_factory=Counts)
    #: Rows of the file dealt with by the current pass.
    processed: int = 0
    #: Rows the validation pass handed to the import pass.
    planned: int = 0

    def report(self, *, writing: bool = False, **values) -> None:
        """Publish where the run stands (see :class:`~patron.imports.progress.Progress`)."""
        self.progress.report(writing=writing, processed=self.processed,
                             error_count=self.errors.count, errors=self.errors.listing(),
                             **self.counts.columns(), **values)
