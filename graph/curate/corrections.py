"""Reading a corrections file: one correction a line, each checked on its own.

The file is CSV with the header ``action,field,change,value,reason,by,date``; blank lines and lines
starting with ``#`` are skipped. A line that cannot be a correction (wrong number of fields, an
unknown field or change, an empty reason, a date that is no ISO date...) is an error naming the
file and the line. Nothing here needs the graph or spaCy: a bad file fails before the documents
are read.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from difflib import get_close_matches
from pathlib import Path

from graph.curate.values import UnknownValue, Value, resolve
from graph.errors import InputError
from graph.fields import FIELDS
from graph.files import read_input

HEADER = ("action", "field", "change", "value", "reason", "by", "date")
CHANGES = ("add", "remove", "set")
FILE_NAME = "corrections.csv"  # looked for in each input folder


@dataclass(frozen=True)
class Correction:
    """One line of a corrections file."""

    path: str  # the file as it was named (for messages)
    file: str  # the file's name (what the graph's evidence names)
    line: int
    action: str  # a code, an IRI or an exact title
    field: str
    change: str  # add, remove or set
    value: str
    reason: str
    by: str
    date: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"

    def cells(self) -> tuple[str, ...]:
        return (self.action, self.field, self.change, self.value, self.reason, self.by, self.date)

    def error(self, message: str) -> InputError:
        return InputError(self.path, message, self.line)


def csv_line(cells: tuple[str, ...] | list[str]) -> str:
    """One line of CSV (quoted where needed), without its line break."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


def header_line() -> str:
    return csv_line(HEADER)


def _closest(word: str, choices: list[str]) -> str:
    found = get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {found[0]}?)" if found else ""


def check_cells(cells: list[str], path: str, file: str, line: int) -> Correction:
    """A correction from the cells of one line, or an InputError naming the line and what is wrong."""

    def fail(message: str) -> InputError:
        return InputError(path, message, line)

    if len(cells) != len(HEADER):
        raise fail(f"expected {len(HEADER)} fields ({','.join(HEADER)}), found {len(cells)}")
    action, field, change, value, reason, by, when = (cell.strip() for cell in cells)
    for name, cell in zip(HEADER, (action, field, change, value, reason, by, when), strict=True):
        if not cell:
            raise fail(f"the {name} is empty; every correction names its {_WHAT[name]}")
        if "\n" in cell or "\r" in cell:
            raise fail(f"the {name} holds a line break; a correction stands on one line")
    if field not in FIELDS:
        raise fail(f"unknown field {field!r}{_closest(field, list(FIELDS))}; one of {', '.join(FIELDS)}")
    if change not in CHANGES:
        raise fail(f"unknown change {change!r}; one of {', '.join(CHANGES)}")
    if FIELDS[field].single and change == "add":
        raise fail(f"{field} holds one value: use set (or remove), not add")
    if not FIELDS[field].single and change == "set":
        raise fail(f"{field} holds several values: use add or remove, not set")
    try:
        if len(when) != 10:
            raise ValueError
        date.fromisoformat(when)
    except ValueError:
        raise fail(f"the date {when!r} is not an ISO date (YYYY-MM-DD)") from None
    return Correction(path, file, line, action, field, change, value, reason, by, when)


_WHAT = {
    "action": "action (its code, IRI or exact title)",
    "field": "field",
    "change": "change (add, remove or set)",
    "value": "value",
    "reason": "reason",
    "by": "author (by)",
    "date": "date",
}


def read_corrections(path: Path, shown: str | None = None) -> list[Correction]:
    """The corrections of a file, in the order of its lines; an InputError at the first bad line."""
    shown = shown or str(path)
    data = read_input(path, shown, "no such corrections file", "a folder, not a corrections file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(shown, "not UTF-8 text; save the corrections file as UTF-8", line) from None
    corrections: list[Correction] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        try:
            cells = next(csv.reader([raw], strict=True))
        except csv.Error as error:
            raise InputError(shown, f"malformed CSV: {error}", number) from None
        if not header_seen:
            if tuple(cell.strip().lower() for cell in cells) != HEADER:
                raise InputError(shown, f"the first line must be the header {header_line()}", number)
            header_seen = True
            continue
        corrections.append(check_cells(cells, shown, path.name, number))
    return corrections


def find_corrections(paths: list[Path]) -> list[Path]:
    """The corrections files of a build's inputs: ``corrections.csv`` in each folder given, and in
    the folder of each document given (``seeds/*.txt`` finds ``seeds/corrections.csv``)."""
    found: list[Path] = []
    for path in paths:
        folder = path if path.is_dir() else path.parent
        candidate = folder / FILE_NAME
        if candidate.is_file() and candidate.resolve() not in [f.resolve() for f in found]:
            found.append(candidate)
    return found


@dataclass(frozen=True)
class Checked:
    """A correction whose value is known (partner institutions: once the build has them)."""

    correction: Correction
    value: Value | None


def load_corrections(paths: list[Path]) -> list[Checked]:
    """Read each corrections file and check every value against the vocabularies of ``ontology/``;
    an InputError at the first bad line. Needs neither the documents nor spaCy."""
    names = [p.name for p in paths]
    clash = sorted({n for n in names if names.count(n) > 1})
    if clash:
        raise InputError(clash[0], "two corrections files share this name; their evidence would be ambiguous")
    checked = []
    for path in paths:
        for correction in read_corrections(path):
            try:
                value = resolve(correction.field, correction.value)
            except UnknownValue as error:
                raise correction.error(f"{correction.field}: {error}") from None
            checked.append(Checked(correction, value))
    return checked


def next_line(path: Path) -> int:
    """The number the next line appended to a corrections file gets (2 for a new file: after its header)."""
    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    return len(text.splitlines()) + 1 if text.strip() else 2


def append_line(path: Path, line: str) -> None:
    """Append one line to a corrections file (made, with its header, when there is none): the file
    is replaced whole, never left half-written."""
    from graph.files import write_atomic

    text = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    if not text.strip():
        text = header_line() + "\n"
    elif not text.endswith("\n"):
        text += "\n"
    write_atomic(path, text + line + "\n")
