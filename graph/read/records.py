"""Records read from seed documents, each field with its provenance (file name, 1-based line).

Reading produces these plain data objects; it knows nothing of RDF.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Field:
    """One value read from a seed document, with the line it stands on."""

    value: str
    file: str
    line: int


@dataclass(frozen=True)
class Anomaly:
    """Something irregular about a record or a line, reported in the build report."""

    kind: str
    file: str
    line: int
    detail: str


@dataclass(frozen=True)
class LineRole:
    """What became of one non-blank input line: the part of a record it fed, or why it was skipped."""

    file: str
    line: int
    role: str
    skipped: bool = False
    reason: str = ""


@dataclass(frozen=True)
class PageContext:
    """A country page's header over an entry: the header line as written and the country's name in it."""

    line: Field  # "Actions in Guatemala", with its file and line
    name: str  # "Guatemala", as written


@dataclass
class ActionRecord:
    """One action entry as it stands in one document."""

    title: Field
    partners: list[Field] = field(default_factory=list)
    types: Field | None = None
    description: list[Field] = field(default_factory=list)
    start: Field | None = None
    end: Field | None = None
    code: Field | None = None  # the page's Code field
    context: PageContext | None = None  # the country page's header the entry stands under
    # "plain" (partner / types / description lines), "labelled" (a label, then its value on the next
    # line), "labelled-dashed" (every label and value a "- " line), "labelled-inline" ("Label: value")
    layout: str = "plain"
    bulleted: bool = True

    @property
    def file(self) -> str:
        return self.title.file

    @property
    def description_text(self) -> str:
        return "\n".join(f.value for f in self.description)


@dataclass
class NewsRecord:
    """A news headline, a bulleted item with no data, or a labelled story with empty fields."""

    title: Field
    kind: str  # "headline", "bulleted", "story"


@dataclass
class Document:
    """Everything read from one seed document."""

    file: str
    path: str
    actions: list[ActionRecord] = field(default_factory=list)
    news: list[NewsRecord] = field(default_factory=list)
    lines: list[LineRole] = field(default_factory=list)
    anomalies: list[Anomaly] = field(default_factory=list)
    non_blank_lines: int = 0

    @property
    def layouts(self) -> dict[str, int]:
        """The layouts its action entries were read as, with how many of each."""
        found: dict[str, int] = {}
        for record in self.actions:
            found[record.layout] = found.get(record.layout, 0) + 1
        return dict(sorted(found.items(), key=lambda item: (-item[1], item[0])))
