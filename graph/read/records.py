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


@dataclass
class ActionRecord:
    """One action entry as it stands in one document."""

    title: Field
    partners: list[Field] = field(default_factory=list)
    types: Field | None = None
    description: list[Field] = field(default_factory=list)
    start: Field | None = None
    end: Field | None = None
    layout: str = "plain"  # "plain" (partner / types / description lines) or "labelled"
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
