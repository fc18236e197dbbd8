"""From the records of several documents to one action, institution and news item each.

An action that appears in several documents (or twice in one) is one action with all its
sources: same title, compatible partner institution (the same, or missing on one side) and
compatible description (the same, missing on one side, or one cut short of the other).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from graph.read.assistance import AssistanceTypeMatcher, TypeMatch
from graph.read.dates import read_date
from graph.read.partner import PartnerName, parse_partner
from graph.read.records import ActionRecord, Anomaly, Document, Field, NewsRecord, PageContext

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
# How much of a description identifies the action (robust to a page cutting the text later on).
_DESCRIPTION_FINGERPRINT = 120


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """Fold case, accents kept, apostrophes and dashes unified, white space collapsed, end punctuation dropped.

    Kept for the texts met most recently: titles, descriptions and partner lines come back across
    documents (an action on several pages) and in every comparison of candidates for merging."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).casefold()
    text = re.sub(r"(?<=\w)\?(?=\w)", "'", text)
    return " ".join(text.split()).strip(" .;,:")


@dataclass
class Institution:
    """A partner institution as a partner line names it: one for each distinct (name,
    original-language name, acronym). Which of them are one institution is decided in one place,
    :mod:`graph.extract.institutions`, once the countries are known."""

    key: str
    name: PartnerName
    variants: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WrittenDate:
    """A start or end of activities as the page writes it, and the calendar day or year it gives."""

    field: Field  # the value as written, with its line
    date: date | None  # None: the text gives only a year
    year: int


@dataclass
class Action:
    """An action with all the records it was read from, in document order."""

    records: list[ActionRecord]
    title: str
    partners: list[Institution]
    types: TypeMatch
    description: str
    key: str = ""
    # the dates the page gives, where they are dates (a day that is no calendar day, or an end before
    # the start, leaves both unset: the text stays in ``start`` and ``end`` as written)
    start_date: WrittenDate | None = None
    end_date: WrittenDate | None = None

    @property
    def first(self) -> ActionRecord:
        return self.records[0]

    @property
    def start(self) -> str | None:
        return next((r.start.value for r in self.records if r.start), None)

    @property
    def end(self) -> str | None:
        return next((r.end.value for r in self.records if r.end), None)

    @property
    def code(self) -> Field | None:
        """The page's Code field (from the first record that has one)."""
        return next((r.code for r in self.records if r.code), None)

    @property
    def context(self) -> PageContext | None:
        """The country page the action stands on (from the first record under a country header)."""
        return next((r.context for r in self.records if r.context), None)


@dataclass
class NewsItem:
    """A news item with every line it appears on."""

    key: str
    title: str
    records: list[NewsRecord]


@dataclass
class Merged:
    actions: list[Action]
    institutions: list[Institution]
    news: list[NewsItem]
    anomalies: list[Anomaly]
    duplicates_merged: int


def _institution_key(name: PartnerName) -> str:
    return "|".join(normalise(part or "") for part in (name.name, name.original_name, name.acronym))


def _description_compatible(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return not a or not b or a.startswith(b) or b.startswith(a)


def _dates(records: list[ActionRecord], anomalies: list[Anomaly]) -> tuple[WrittenDate | None, WrittenDate | None]:
    """The start and end of activities the records give, read as dates; what cannot be read as a
    date, and an end before the start, go to the anomalies (the text stays as written)."""
    found: list[WrittenDate | None] = []
    for which in ("start", "end"):
        written: Field | None = next((getattr(r, which) for r in records if getattr(r, which)), None)
        if written is None:
            found.append(None)
            continue
        read = read_date(written.value)
        if read.year is None:
            anomalies.append(
                Anomaly(
                    "invalid-date",
                    written.file,
                    written.line,
                    f"{which} of activities {written.value!r} is {read.problem} (day first: 16-09-2024); kept as text",
                )
            )
            found.append(None)
            continue
        if read.date is None:
            anomalies.append(
                Anomaly(
                    "partial-date",
                    written.file,
                    written.line,
                    f"{which} of activities {written.value!r} is {read.problem}: only its year ({read.year}) is read",
                )
            )
        found.append(WrittenDate(written, read.date, read.year))
    start, end = found
    if start is not None and end is not None:
        reversed_ = end.date < start.date if start.date is not None and end.date is not None else end.year < start.year
        if reversed_:
            anomalies.append(
                Anomaly(
                    "end-before-start",
                    end.field.file,
                    end.field.line,
                    f"the activities end ({end.field.value!r}) before they start ({start.field.value!r}); "
                    "both kept as text, neither read as a date",
                )
            )
            return None, None
    return start, end


def merge_documents(documents: list[Document], matcher: AssistanceTypeMatcher | None = None) -> Merged:
    """Merge the records of ``documents`` (in the order given) into actions, institutions and news."""
    matcher = matcher or AssistanceTypeMatcher.default()
    anomalies: list[Anomaly] = []
    institutions: dict[str, Institution] = {}

    parsed: dict[str, PartnerName] = {}  # each distinct partner line parsed once

    def institution_of(record: ActionRecord) -> list[Institution]:
        found = []
        for partner in record.partners:
            name = parsed.get(partner.value)
            if name is None:
                name = parsed[partner.value] = parse_partner(partner.value)
            if name.unclosed_bracket:
                anomalies.append(
                    Anomaly(
                        "unclosed-bracket",
                        partner.file,
                        partner.line,
                        f"partner name with a bracket left open: {partner.value!r}",
                    )
                )
            key = _institution_key(name)
            inst = institutions.setdefault(key, Institution(key, name))
            if partner.value not in inst.variants:
                inst.variants.append(partner.value)
            found.append(inst)
        return found

    # group records by title, then merge the compatible ones
    groups: dict[str, list[list[tuple[ActionRecord, list[Institution]]]]] = {}
    order: list[list[tuple[ActionRecord, list[Institution]]]] = []
    for doc in documents:
        for record in doc.actions:
            partners = institution_of(record)
            clusters = groups.setdefault(normalise(record.title.value), [])
            for cluster in clusters:
                first_record, first_partners = cluster[0]
                cluster_partners = next((p for _, p in cluster if p), [])
                same_partner = not partners or not cluster_partners or partners == cluster_partners
                described = next((r.description_text for r, _ in cluster if r.description), "")
                if same_partner and _description_compatible(described, record.description_text):
                    cluster.append((record, partners))
                    break
            else:
                cluster = [(record, partners)]
                clusters.append(cluster)
                order.append(cluster)

    actions: list[Action] = []
    duplicates = 0
    for cluster in order:
        records = [r for r, _ in cluster]
        duplicates += len(records) - 1
        partners = next((p for _, p in cluster if p), [])
        typed = next((r.types for r in records if r.types), None)  # the first types line
        types = matcher.match(typed.value) if typed else TypeMatch()
        if typed:
            where = (typed.file, typed.line)
            for unknown in types.unknown:
                anomalies.append(
                    Anomaly("unknown-type", *where, f"type of assistance not in the scheme, kept as text: {unknown!r}")
                )
            for cut in types.truncated:
                anomalies.append(
                    Anomaly("truncated-type", *where, f"type of assistance cut short, read as a known type: {cut!r}")
                )
            if types.code:
                anomalies.append(
                    Anomaly("type-code-prefix", *where, f"code {types.code!r} before the type of assistance")
                )
        description = max((r.description_text for r in records), key=len)
        action = Action(records, records[0].title.value, partners, types, description)
        action.start_date, action.end_date = _dates(records, anomalies)
        action.key = "|".join(
            (normalise(action.title), *(p.key for p in partners), normalise(description)[:_DESCRIPTION_FINGERPRINT])
        )
        actions.append(action)

    # titles that stand for several actions
    for clusters in groups.values():
        if len(clusters) < 2:
            continue
        firsts = [c[0][0] for c in clusters]
        partner_sets = {tuple(i.key for i in next((p for _, p in c if p), [])) for c in clusters}
        kind = "duplicate-title-different-partner" if len(partner_sets) > 1 else "duplicate-title-different-description"
        places = ", ".join(f"{r.file}:{r.title.line}" for r in firsts)
        for record in firsts:
            anomalies.append(
                Anomaly(
                    kind,
                    record.file,
                    record.title.line,
                    f"{len(clusters)} actions share the title {record.title.value!r} ({places}); kept apart",
                )
            )

    news_by_title: dict[str, NewsItem] = {}
    for doc in documents:
        for item in doc.news:
            key = normalise(item.title.value)
            existing = news_by_title.get(key)
            if existing:
                existing.records.append(item)
                anomalies.append(
                    Anomaly(
                        "duplicate-news",
                        item.title.file,
                        item.title.line,
                        f"news title repeated, merged with {existing.records[0].title.file}:"
                        f"{existing.records[0].title.line}",
                    )
                )
            else:
                news_by_title[key] = NewsItem(key, item.title.value, [item])
    return Merged(actions, list(institutions.values()), list(news_by_title.values()), anomalies, duplicates)
