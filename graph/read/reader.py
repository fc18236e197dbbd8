"""Read a seed document into action and news records, accounting for every non-blank line.

The website scrapes come in these layouts:

* plain: a (usually bulleted) title, a blank line, then the partner institution, the type(s) of
  assistance and the description, one per line;
* labelled: a title, then ``Start activities`` <date>, ``End activities`` <date>, ``Partner
  Institution`` <value>, ``Type of Assistance`` <value>, ``Code`` <value>, ``Description`` and the
  description, each value on the line after its label (the older pages leave the dates empty and
  give no Code or Description label);
* labelled-dashed: the same, every label and every value a ``- `` list item, the titles with no
  bullet, the entries under a country page's header ("Actions in Guatemala", "Acciones en ...");
* labelled-inline: ``Label: value`` on one line.

The labels and their Spanish, Portuguese and French forms are data (``ontology/reference/layout.toml``).
A structure pass first tells labels, their values and the lines that open an entry (a title: the
line a label block follows) whatever their bullets; then runs of lines are read as entries.
News headlines, bulleted news items with no data, labelled stories with empty fields and section
headings stand between the actions. An entry is an action because of its data (a partner, a type
or a description), never because of its bullet; a label never opens an entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError
from graph.files import read_input
from graph.read.apostrophes import repair_apostrophes
from graph.read.assistance import AssistanceTypeMatcher
from graph.read.records import ActionRecord, Anomaly, Document, Field, LineRole, NewsRecord, PageContext
from graph.vocab import Layout, load_layout

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_DATE_LIKE = re.compile(
    r"\b(1[89]|20)\d\d\b|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|\d{1,2}[/.-]\d{1,2}",
    re.IGNORECASE,
)
# A standalone paragraph this long is description text, never a title or a headline.
_PARAGRAPH_WORDS = 30


@dataclass
class _Line:
    number: int
    indent: int
    text: str  # without the bullet and surrounding white space
    bullet: bool  # a bullet that opens an entry (a label's or a value's list bullet is cleared)
    mark: str = ""  # the bullet character as written, if any
    opens: bool = False  # a title with no bullet: the line a label block follows
    dashed: bool = False  # a label or value written as a list item ("- Code", "- 2024-11")
    label: tuple[str, str] | None = None  # (field, value on the same line) of a layout label
    value: bool = False  # the value of the label on the line before


_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")
_HTML_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|apos|nbsp|#\d{1,6});")
_MARKDOWN = re.compile(r"^#{1,6}\s+|\*\*|__|\[([^\]]+)\]\([^)]*\)")


def strip_markup(text: str) -> str:
    """Text without HTML tags and entities or Markdown emphasis, headings and links pasted into a page."""
    import html

    cleaned = _HTML_TAG.sub("", text)
    if _HTML_ENTITY.search(cleaned):
        cleaned = html.unescape(cleaned)
    cleaned = _MARKDOWN.sub(lambda m: m.group(1) or "", cleaned)
    return " ".join(cleaned.split()) if cleaned != text else text


def _line_at(data: bytes, offset: int) -> int:
    """The 1-based line of a byte offset, counting CRLF, CR and LF breaks as the reader does."""
    return len(re.findall(rb"\r\n|\r|\n", data[:offset])) + 1


def decode_document(path: Path, name: str) -> str:
    """The text of a seed document, or an InputError naming the file (and line) when it is not text."""
    return decode_bytes(read_input(path, name, "no such file", "is a directory, not a seed document"), name)


def decode_bytes(data: bytes, name: str) -> str:
    """The text of a seed document's bytes, or an InputError naming the document (and line)."""
    if not data.strip():
        raise InputError(name, "the file is empty")
    if b"\x00" in data:
        raise InputError(name, "binary data (NUL byte); expected UTF-8 text", _line_at(data, data.index(b"\x00")))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = _line_at(data, error.start)
        raise InputError(
            name, f"not UTF-8 text (byte 0x{data[error.start]:02x}); convert the file to UTF-8", line
        ) from None
    control = _CONTROL.search(text)
    if control:
        line = len(_LINE_BREAK.findall(text, 0, control.start())) + 1
        raise InputError(name, f"binary data (control character U+{ord(control.group()):04X}); expected text", line)
    return text


class DocumentReader:
    """Turns the text of one seed document into a :class:`Document`."""

    def __init__(self, matcher: AssistanceTypeMatcher | None = None, layout: Layout | None = None) -> None:
        self.matcher = matcher or AssistanceTypeMatcher.default()
        self.layout = layout or load_layout()

    # ------------------------------------------------------------------ line classification

    def _split(self, text: str) -> list[_Line | None]:
        lines: list[_Line | None] = []
        for number, raw in enumerate(_LINE_BREAK.split(text), start=1):
            expanded = raw.expandtabs(4).rstrip()
            stripped = expanded.lstrip()
            if not stripped:
                lines.append(None)
                continue
            indent = len(expanded) - len(stripped)
            first = stripped[0]
            bullet = first in self.layout.bullets and (first == "•" or stripped[1:2].isspace() or len(stripped) == 1)
            body = stripped[1:].strip() if bullet else stripped
            lines.append(_Line(number, indent, " ".join(body.split()), bullet, first if bullet else ""))
        return lines

    def country_header(self, text: str) -> str | None:
        """The country's name a country page's header gives ("Acciones en Perú": "Perú"), or None."""
        folded = text.casefold()
        if folded.rstrip(":") in self.layout.heading_phrases or text.rstrip().endswith((".", "!", "?")):
            return None
        for prefix in self.layout.header_prefixes:
            if folded.startswith(prefix + " "):
                name = text[len(prefix) :].strip().rstrip(":").strip()
                words = name.split()
                if words and words[0].casefold() in self.layout.header_articles and len(words) > 1:
                    words = words[1:]
                if 0 < len(words) <= self.layout.header_max_words and words[0][:1].isupper():
                    return " ".join(words)
        return None

    def _structure(self, lines: list[_Line | None], doc: Document) -> dict[int, PageContext | None]:
        """Tell labels, values and titles apart whatever their bullets, and take the country page
        headers out (skipped, with their reason); return the page context of each line that follows
        a header (by line number)."""
        contexts: dict[int, PageContext | None] = {}
        context: PageContext | None = None
        previous: _Line | None = None  # the last non-blank line, when no blank line came since
        for index, line in enumerate(lines):
            if line is None:
                previous = None
                continue
            if line.text.casefold().rstrip(":") in self.layout.heading_phrases:
                context = None  # a section heading ends a country's page
            name = self.country_header(line.text) if not line.label else None
            if name is not None:
                doc.lines.append(LineRole(doc.file, line.number, "skipped", True, "page header"))
                context = PageContext(Field(line.text, doc.file, line.number), name)
                lines[index] = previous = None
                continue
            contexts[line.number] = context
            line.label = self.label_of(line.text) if line.text else None
            if line.label is not None:
                if line.bullet:  # "- Partner Institution": a label rendered as a list item
                    line.bullet, line.dashed = False, True
            elif previous is not None and previous.label is not None and not previous.label[1]:
                line.value = True  # the line after a bare label
                if line.bullet and previous.dashed:
                    line.bullet, line.dashed = False, True
            elif (
                line.bullet
                and previous is not None
                and previous.dashed
                and previous.label is None
                and line.mark == previous.mark
                and line.indent == previous.indent
            ):
                line.bullet, line.dashed = False, True  # a further paragraph or type of a dashed value
            previous = line
        # a label that repeats one of the entry's fields starts the next entry's labels: the last line
        # before it that is no label or value is that entry's title, bullet or none
        seen: set[str] = set()
        title: _Line | None = None
        for line in lines:
            if line is None:
                continue
            if line.bullet:
                seen, title = set(), None
            if line.label is not None:
                if line.label[0] in seen and title is not None:
                    title.opens = True
                    seen = set()
                seen.add(line.label[0])
                title = None
            elif not line.value and line.text:
                title = line
        return contexts

    def label_of(self, text: str) -> tuple[str, str] | None:
        """The field a layout label opens and any value on the same line, or None."""
        key = text.strip().rstrip(":").strip().casefold()
        if key in self.layout.labels:
            return self.layout.labels[key], ""
        head, colon, value = text.partition(":")
        if colon and head.strip().casefold() in self.layout.labels:
            return self.layout.labels[head.strip().casefold()], value.strip()
        return None

    def is_type_like(self, text: str) -> bool:
        match = self.matcher.match(text)
        return match.fully_known or (match.code is not None and not self.is_description_like(text))

    @staticmethod
    def is_description_like(text: str) -> bool:
        words = len(text.split())
        return words >= 12 or (words >= 6 and text.rstrip().endswith((".", "!", "?")))

    def is_partner_like(self, text: str) -> bool:
        folded = text.casefold()
        if "socieux" in folded or ":" in text or text.rstrip().endswith(("?", "!", ".")) or len(text.split()) > 30:
            return False
        head = re.findall(r"[^\W\d_]+", folded)[: self.layout.partner_head_window]
        return any(word in self.layout.partner_nouns for word in head) or bool(
            re.search(r"[\[(][^\])]*[\])]?\s*$", text)
        )

    def looks_like_body(self, run: list[_Line]) -> bool:
        if len(run) > 1 or self.label_of(run[0].text):
            return True
        # a lone line: headlines are short and end without a full stop; descriptions are not
        text = run[0].text
        words = len(text.split())
        sentence = words >= 25 or (words >= 6 and text.rstrip().endswith("."))
        return self.is_partner_like(text) or self.is_type_like(text) or sentence

    def is_heading(self, line: _Line, next_line: _Line | None) -> bool:
        if line.bullet:
            return False
        if line.text.casefold().rstrip(":") in self.layout.heading_phrases:
            return True
        short = len(line.text.split()) <= self.layout.heading_max_words and ":" not in line.text
        return short and next_line is not None and next_line.bullet and next_line.indent > line.indent

    # ------------------------------------------------------------------ reading

    def read(self, text: str, file: str, path: str = "") -> Document:
        """Read the text of the document named ``file``."""
        doc = Document(file=file, path=path or file)
        lines = self._split(text)
        doc.non_blank_lines = sum(line is not None for line in lines)
        for index, line in enumerate(lines):
            if line is not None:
                cleaned = strip_markup(line.text)
                if cleaned != line.text:
                    doc.anomalies.append(
                        Anomaly(
                            "markup-in-text", file, line.number, f"HTML or Markdown markup removed: {line.text[:80]!r}"
                        )
                    )
                    line.text = cleaned
                    if not cleaned and not line.bullet:  # nothing but markup: read as a blank line
                        doc.lines.append(LineRole(file, line.number, "skipped", True, "only HTML or Markdown markup"))
                        lines[index] = None

        contexts = self._structure(lines, doc)
        runs: list[list[_Line]] = []
        current: list[_Line] = []
        for line in lines:
            if line is None or line.bullet or line.opens:
                if current:
                    runs.append(current)
                current = [line] if line is not None else []
            else:
                current.append(line)
        if current:
            runs.append(current)

        state = _ReadState(self, doc, contexts)
        for index, run in enumerate(runs):
            following = runs[index + 1] if index + 1 < len(runs) else None
            state.take(run, following)
        state.flush()
        return doc


class _ReadState:
    """The entry being read while runs of lines go by."""

    def __init__(self, reader: DocumentReader, doc: Document, contexts: dict[int, PageContext | None]) -> None:
        self.reader = reader
        self.doc = doc
        self.contexts = contexts
        self.pending: _Line | None = None  # a title still waiting for its body
        self.last_action: ActionRecord | None = None

    # -- bookkeeping
    def field(self, line: _Line, role: str) -> Field:
        value, repaired = repair_apostrophes(line.text)
        if repaired:
            self.anomaly("question-mark-apostrophe", line, f"'?' read as an apostrophe: {line.text!r}")
        self.doc.lines.append(LineRole(self.doc.file, line.number, role))
        return Field(value, self.doc.file, line.number)

    def skip(self, line: _Line, reason: str) -> None:
        self.doc.lines.append(LineRole(self.doc.file, line.number, "skipped", True, reason))

    def anomaly(self, kind: str, line: _Line, detail: str) -> None:
        self.doc.anomalies.append(Anomaly(kind, self.doc.file, line.number, detail))

    # -- runs
    def take(self, run: list[_Line], following: list[_Line] | None) -> None:
        reader = self.reader
        first = run[0]
        # a lone line followed by a full body is that body's title, even when it reads like a partner
        title_of_next = (
            len(run) == 1
            and following is not None
            and not following[0].bullet
            and not following[0].opens
            and (len(following) > 1 or reader.label_of(following[0].text) is not None)
        )
        if first.bullet or first.opens:
            self.flush()
            if not first.text:
                self.skip(first, "bullet with no text")
                self.take_orphans(run[1:])
                return
            if len(run) > 1:
                self.entry(first, run[1:])
            else:
                self.pending = first
            return
        # a line followed by labels is the title of the entry they open (whatever came before it: a
        # headline over a page header, say, is news, not this entry's title)
        titled = len(run) > 1 and first.label is None and not first.value and run[1].label is not None
        if self.pending is not None and not title_of_next and not titled and reader.looks_like_body(run):
            title, self.pending = self.pending, None
            self.entry(title, run)
            return
        self.flush()
        if len(run) == 1:
            if reader.is_heading(first, following[0] if following else None):
                self.skip(first, "section heading")
            elif len(first.text.split()) >= _PARAGRAPH_WORDS:
                self.take_orphans(run)
            else:
                self.pending = first
            return
        if reader.label_of(first.text) or len(first.text.split()) >= _PARAGRAPH_WORDS:
            self.take_orphans(run)
        else:
            self.entry(first, run[1:])

    def take_orphans(self, run: list[_Line]) -> None:
        """Lines with no title of their own: a description paragraph set apart by a blank line, or stray text."""
        if any(line.label for line in run):
            self.anomaly(
                "unreadable-entry",
                run[0],
                f"labels with no title before them: {len(run)} lines skipped, from {run[0].text[:60]!r}",
            )
        for line in run:
            if self.last_action is not None and reader_is_paragraph(line.text):
                self.last_action.description.append(self.field(line, "description"))
                self.anomaly("description-after-blank-line", line, "description paragraph separated by a blank line")
            else:
                self.skip(line, "text outside any entry")

    def flush(self) -> None:
        """A title that got no body is news: a headline, or a bulleted item with no data."""
        if self.pending is None:
            return
        line, self.pending = self.pending, None
        kind = "bulleted" if line.bullet else "headline"
        self.doc.news.append(NewsRecord(self.field(line, "news-title"), kind))
        self.last_action = None

    def entry(self, title: _Line, body: list[_Line]) -> None:
        labelled = any(self.reader.label_of(line.text) for line in body)
        parse = self.parse_labelled if labelled else self.parse_plain
        record = ActionRecord(title=Field(title.text, self.doc.file, title.number), bulleted=title.bullet)
        record.layout = _layout_of(body) if labelled else "plain"
        record.context = self.contexts.get(title.number)
        roles_before = len(self.doc.lines)
        anomalies_before = len(self.doc.anomalies)
        parse(record, body)
        has_data = (
            self.reads_as_data(record) if not labelled else bool(record.partners or record.types or record.description)
        )
        if has_data:
            record.title = self.field(title, "action-title")
            # the title's role goes first in the accounting, like in the document
            self.doc.lines.insert(roles_before, self.doc.lines.pop())
            self.check_missing(record, title)
            self.doc.actions.append(record)
            self.last_action = record
        else:
            del self.doc.anomalies[anomalies_before:]
            # the body fed no record: its lines are accounted for as skipped, with the reason
            self.doc.lines[roles_before:] = [
                role
                if role.skipped
                else LineRole(role.file, role.line, "skipped", True, "body of an entry with no action data")
                for role in self.doc.lines[roles_before:]
            ]
            self.doc.news.append(NewsRecord(self.field(title, "news-title"), "story"))
            self.doc.lines.insert(roles_before, self.doc.lines.pop())
            self.last_action = None

    def reads_as_data(self, record: ActionRecord) -> bool:
        """Whether a plain-layout body reads as action data: its lines fill the slots by position, so at
        least one must also read as what its slot holds (a partner, a known type of assistance or a
        description); otherwise two lines of notes would make an action whose partner is a sentence."""
        reader = self.reader
        return (
            any(reader.is_partner_like(f.value) for f in record.partners)
            or (record.types is not None and reader.is_type_like(record.types.value))
            or any(reader.is_description_like(f.value) for f in record.description)
        )

    def check_missing(self, record: ActionRecord, title: _Line) -> None:
        for present, what in (
            (record.partners, "partner institution"),
            (record.types, "type of assistance"),
            (record.description, "description"),
        ):
            if not present:
                self.anomaly(
                    f"missing-{what.split()[0] if what != 'type of assistance' else 'type'}",
                    title,
                    f"action {title.text!r} has no {what}",
                )

    def parse_plain(self, record: ActionRecord, body: list[_Line]) -> None:
        reader = self.reader
        for line in body:
            text = line.text
            if record.description:
                record.description.append(self.field(line, "description"))
            elif not record.partners and record.types is None:
                if reader.is_type_like(text):
                    record.types = self.field(line, "assistance-types")
                elif reader.is_description_like(text) and not reader.is_partner_like(text):
                    record.description.append(self.field(line, "description"))
                else:
                    record.partners.append(self.field(line, "partner"))
            elif record.types is None:
                if reader.is_type_like(text):
                    record.types = self.field(line, "assistance-types")
                elif reader.is_description_like(text):
                    record.description.append(self.field(line, "description"))
                elif reader.is_partner_like(text):
                    record.partners.append(self.field(line, "partner"))
                    self.anomaly("several-partners", line, f"a further partner line: {text!r}")
                else:
                    record.types = self.field(line, "assistance-types")
            else:
                record.description.append(self.field(line, "description"))

    def parse_labelled(self, record: ActionRecord, body: list[_Line]) -> None:
        reader = self.reader
        slot: str | None = None
        for line in body:
            if not line.text:
                self.skip(line, "bullet with no text")
                continue
            label = reader.label_of(line.text)
            if label:
                slot, value = label
                if value:
                    slot = self.take_value(record, slot, _Line(line.number, line.indent, value, False))
                    if slot == "partner":  # "Partner Institution: NAME", then unlabelled lines
                        slot = "after-partner"
                else:
                    self.skip(line, f"layout label {line.text.rstrip(':')!r}")
                continue
            slot = self.take_value(record, slot or "description", line)

    def take_value(self, record: ActionRecord, slot: str, line: _Line) -> str:
        """Put a value line in its slot; return the slot the next line falls into."""
        reader = self.reader
        if slot in ("start", "end"):
            if _DATE_LIKE.search(line.text) and len(line.text.split()) <= 6:
                setattr(record, slot, self.field(line, slot))
                return slot
            slot = "description"
        if slot == "code":
            if record.code is None and len(line.text.split()) <= 3:
                record.code = self.field(line, "code")
                return "description"
            slot = "description"
        if slot == "more-types":  # a further type on its own line ("- Policy development")
            if (
                record.types is not None
                and reader.is_type_like(line.text)
                and not reader.is_description_like(line.text)
            ):
                types = record.types
                record.types = Field(f"{types.value}, {line.text}", types.file, types.line)
                self.doc.lines.append(LineRole(self.doc.file, line.number, "assistance-types"))
                return "more-types"
            slot = "description"
        if slot == "after-partner":  # the line after "Partner Institution: NAME" with no label of its own
            if reader.is_type_like(line.text) and record.types is None:
                slot = "types"
            elif not reader.is_partner_like(line.text) or reader.is_description_like(line.text):
                slot = "description"
            else:
                slot = "partner"
        if slot == "partner":
            if record.partners:
                self.anomaly("several-partners", line, f"a further partner line: {line.text!r}")
            record.partners.append(self.field(line, "partner"))
            return "partner"
        if slot == "types" and record.types is None:
            if reader.is_description_like(line.text) and not reader.is_type_like(line.text):
                if len(line.text.split()) < 25:  # too short for a description: a sentence typed as the type
                    self.anomaly(
                        "sentence-in-type-slot",
                        line,
                        f"a sentence where the type of assistance should be, read as the description: {line.text!r}",
                    )
                record.description.append(self.field(line, "description"))
                return "description"
            record.types = self.field(line, "assistance-types")
            return "more-types"
        record.description.append(self.field(line, "description"))
        return "description"


def _layout_of(body: list[_Line]) -> str:
    """Which labelled layout a body is written in."""
    labels = [line for line in body if line.label]
    if any(line.dashed for line in labels):
        return "labelled-dashed"
    if any(line.label and line.label[1] for line in labels):
        return "labelled-inline"
    return "labelled"


def reader_is_paragraph(text: str) -> bool:
    return len(text.split()) >= _PARAGRAPH_WORDS


def read_document(path: str | Path, reader: DocumentReader | None = None, name: str | None = None) -> Document:
    """Read one seed document from disk; raises InputError when it cannot be read as one."""
    path = Path(path)
    shown = str(path)  # errors name the path as the user gave it; the graph's sources use the name
    text = decode_document(path, shown)
    doc = (reader or DocumentReader()).read(text, name or path.name, shown)
    if not doc.actions:
        first = next((role.line for role in doc.lines), None)
        raise InputError(
            shown,
            "no action entries found (expected a title followed by a partner institution, "
            "type of assistance or description)",
            first,
        )
    return doc
