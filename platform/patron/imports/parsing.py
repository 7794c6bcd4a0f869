"""Reading an uploaded CSV file: UTF-8 (with or without a byte-order mark), a header row,
then records, streamed row by row from the file object (never the whole file in memory).

Line numbers are the file's own, header = line 1, so a record with a quoted line break in a
cell is reported at the line it starts on.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO, TypeVar

from patron.imports.errors import ImportFailed

ENCODING = "utf-8-sig"
CHUNK_BYTES = 1024 * 1024
T = TypeVar("T")


class MalformedFile(ImportFailed):
    """The upload is not a CSV file Patron can read; the message says why."""


class Record(NamedTuple):
    """One row of the file after the header."""

    line: int
    cells: list[str]


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of ``size`` items (the last one shorter); ``itertools.batched`` of Python 3.12."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


NEWLINE = b"\n"


def check_encoding(file: BinaryIO) -> None:
    """:class:`MalformedFile` unless the rest of ``file`` is UTF-8 without NUL characters
    (read in chunks; a NUL, which no field can store and Python's CSV reader passes on, is
    reported by its line)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    offset = lines = 0
    try:
        while chunk := file.read(CHUNK_BYTES):
            decoder.decode(chunk)
            if (nul := chunk.find(b"\x00")) >= 0:
                line = lines + chunk.count(NEWLINE, 0, nul) + 1
                raise MalformedFile(
                    f"Line {line} holds a NUL character, which no field can store; remove it "
                    "and upload the file again.")
            offset += len(chunk)
            lines += chunk.count(NEWLINE)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as error:
        raise MalformedFile(
            f"The file is not UTF-8 text (byte {offset + error.start + 1}); "
            "save it as 'CSV UTF-8' and upload it again.") from error


def checked_header(file: BinaryIO) -> list[str]:
    """The header of the CSV ``file`` (binary, read from its start) once the whole file is
    known to be UTF-8; :class:`MalformedFile` otherwise. ``file`` stays open."""
    check_encoding(file)
    file.seek(0)
    text = io.TextIOWrapper(file, encoding=ENCODING, newline="")
    try:
        return parse_header(text)
    finally:
        text.detach()


def parse_header(text: TextIO) -> list[str]:
    """The column names on the first line of ``text``; :class:`MalformedFile` if there are
    none, or one is blank or repeated."""
    try:
        header = [name.strip() for name in next(csv.reader(text), [])]
    except (csv.Error, UnicodeDecodeError) as error:
        raise MalformedFile(f"The header row cannot be read: {error}.") from error
    if not any(header):
        raise MalformedFile("The file is empty: the first line must name the columns.")
    if not all(header):
        raise MalformedFile(f"Column {header.index('') + 1} of the header has no name.")
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise MalformedFile(f"Columns named more than once: {', '.join(repeated)}.")
    return header


class CsvFile:
    """An uploaded CSV file on disk."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def header(self) -> list[str]:
        """The column names (see :func:`parse_header`)."""
        with self.path.open(encoding=ENCODING, newline="") as file:
            return parse_header(file)

    def records(self) -> Iterator[Record]:
        """The rows after the header with the line each starts on; blank lines are skipped.

        :class:`MalformedFile` names the line where the file stops being readable CSV.
        """
        with self.path.open(encoding=ENCODING, newline="") as file:
            reader = csv.reader(file)
            line = 1
            try:
                next(reader, None)
                line = reader.line_num + 1
                for cells in reader:
                    if any(cells):
                        yield Record(line, cells)
                    line = reader.line_num + 1
            except (csv.Error, UnicodeDecodeError) as error:
                raise MalformedFile(f"Line {line} cannot be read as CSV: {error}.") from error

    def count(self) -> int:
        """How many records the file holds (a quick pass of the CSV reader alone)."""
        return sum(1 for _ in self.records())
