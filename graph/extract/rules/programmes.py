"""Programmes named in a text, by the convention of ``ontology/reference/programmes.toml``: a
programme, project or initiative named by its proper name, the partner's own named programmes
included, as the text names it.

- A name before a programme noun keeps the noun the text attaches to it: "the Better Work
  Bangladesh programme", "the Tekavoul programme", "the International Labour and Environmental
  Standards project", "the Global Flagship Programme on Building Social Protection Floors for All"
  (a capitalised noun opens a name that may go on), "the Presidential Youth Employment
  Intervention"; an organisation before it is no part of it ("the ILO Better Work Bangladesh
  programme", "the GIZ-SKYE project" stays whole).
- A name after a lower-case noun stands alone: "the ILO programme Vision Zero Fund", "the project
  Skills for Tourism", "the graduation initiative Forsa", "the joint programme Towards Inclusive
  Social Protection", a quoted title.
- A known programme ("EUROsociAL+", "Vision Zero Fund") is read wherever it stands.

Generic mentions ("a six-week induction programme", "the National programme"), an organisation's
or a place's name alone, and the facility itself are no programmes. The sign of cooperation near a
programme (an organisation, "EU-funded") is kept as the finding's detail. Words and windows are in
``ontology/reference/programmes.toml``.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from graph.extract.doc_index import ent_at, positions, sentence_of, sentence_span
from graph.extract.findings import Finding, findings
from graph.read.apostrophes import is_possessive
from graph.vocab import load_layout, ontology_dir

_QUOTES = {"“": "”", '"': '"', "«": "»", "‘": "’"}
_COOPERATING = ("ORG", "EXPERT_AGENCY")
_PLACES = ("COUNTRY", "DEMONYM", "PLACE", "SHARED_PLACE")


@dataclass(frozen=True)
class ProgrammeWords:
    known: dict[str, str]  # a name as written (case folded) -> canonical name
    nouns: frozenset[str]
    name_nouns: frozenset[str]
    plural_nouns: frozenset[str]
    cues: re.Pattern
    window_before: int
    window_after: int
    joiners: frozenset[str]
    generic_names: frozenset[str]
    not_name_words: frozenset[str]
    not_programmes: frozenset[str]
    lead_nouns: frozenset[str]
    foreign_joiners: frozenset[str]
    foreign_lead_nouns: frozenset[str]
    scheme_nouns: frozenset[str]
    definers: frozenset[str]
    naming: tuple[tuple[str, ...], ...]
    max_between: int
    scheme_modified: frozenset[str]
    subject_verbs: frozenset[str]
    beneficiaries: frozenset[str]
    subject_window: int


@cache
def programme_words() -> ProgrammeWords:
    """Read ``ontology/reference/programmes.toml``."""
    data = tomllib.loads((ontology_dir() / "reference" / "programmes.toml").read_text(encoding="utf-8"))
    rules = data["rules"]
    cues = "|".join(
        re.escape(c).replace(r"\ ", r"\s+") for c in sorted(rules["cooperation_cues"], key=len, reverse=True)
    )
    known = {name.casefold(): canonical for canonical, names in data["known"].items() for name in [canonical, *names]}
    return ProgrammeWords(
        known=known,
        nouns=frozenset(rules["nouns"]),
        name_nouns=frozenset(rules["name_nouns"]),
        plural_nouns=frozenset(rules["plural_nouns"]),
        cues=re.compile(rf"(?<![\w-])(?:{cues})(?![\w-])", re.IGNORECASE),
        window_before=int(rules["cue_window_before"]),
        window_after=int(rules["cue_window_after"]),
        joiners=frozenset(rules["name_joiners"]),
        generic_names=frozenset(rules["generic_names"]),
        not_name_words=frozenset(rules["not_name_words"]),
        not_programmes=frozenset(n.casefold() for n in rules["not_programmes"]),
        lead_nouns=frozenset(rules["lead_nouns"]),
        foreign_joiners=frozenset(rules["foreign_joiners"]),
        foreign_lead_nouns=frozenset(rules["foreign_lead_nouns"]),
        scheme_nouns=frozenset(rules["scheme_nouns"]),
        definers=frozenset(rules["definers"]),
        naming=tuple(tuple(phrase.split()) for phrase in rules["naming"]),
        max_between=int(rules["max_between"]),
        scheme_modified=frozenset(rules["scheme_modified"]),
        subject_verbs=frozenset(rules["subject_verbs"]),
        beneficiaries=frozenset(rules["beneficiaries"]),
        subject_window=int(rules["subject_window"]),
    )


def _is_name_word(doc: Doc, i: int, inside: bool = False) -> bool:
    """A word of a proper name: capitalised, an acronym, "+"; not a capitalised word that opens a
    phrase ("The", "Under"), unless ``inside`` a name already ("... Floors for All")."""
    token = doc[i]
    words = programme_words()
    if token.lower_ in words.joiners or (token.lower_ in words.not_name_words and not inside):
        return False
    if token.text == "+":
        return True
    text = token.text
    # "eRobota", "mHealth": a name written with its capital inside
    if text[:1].isupper():
        return not token.is_punct
    return text.isalpha() and any(c.isupper() for c in text[1:])


def _glued(doc: Doc, i: int) -> bool:
    """A token written with no space to the next one and none from the previous one: a hyphen or a
    slash and the words it joins ("Skills-for-Jobs", "ACTION/Portugal", "GIZ-SKYE")."""
    if i <= 0 or i + 1 >= len(doc) or doc[i - 1].whitespace_ or doc[i].whitespace_:
        return False
    return doc[i].text in ("-", "/") or doc[i - 1].text in ("-", "/") or doc[i + 1].text in ("-", "/")


def _inner_possessive(doc: Doc, noun: int) -> bool:
    """A plural possessive inside a name, before its capitalised noun: "the Senior Citizens' Grant"."""
    return noun >= 2 and doc[noun - 1].text in ("'", "’") and doc[noun].is_title and doc[noun - 2].text.endswith("s")


def _run_before(doc: Doc, noun: int, sent_start: int) -> tuple[int, int]:
    """The name just before a programme noun ("Better Factories Cambodia", "GIZ-SKYE", "Return to
    Work", "International Labour and Environmental Standards"): (first token, end token)."""
    words = programme_words()
    end = noun
    start = end
    while start - 1 >= sent_start:
        k = start - 1
        if (
            _is_name_word(doc, k)
            or (_glued(doc, k) and k - 1 >= sent_start)
            or (doc[k].is_title and not doc[k].whitespace_ and doc[k + 1].text == "-")  # "On-the-Job"
        ):
            start = k
        elif (
            (start < end or _inner_possessive(doc, end))
            and doc[k].text in ("'", "’")
            and k - 1 > sent_start
            and not doc[k - 1].whitespace_
            and doc[k - 1].text.endswith("s")
            and _is_name_word(doc, k - 1)
        ):
            start = k  # "the Senior Citizens' Grant": a plural possessive inside the name
        elif (
            doc[k].lower_ in words.joiners
            and doc[k].lower_ not in ("the", "a", "an")
            and k - 1 > sent_start  # a sentence's or a title's first word is capitalised anyway
            and _is_name_word(doc, k - 1)
            and start < end
        ):
            start = k  # "Return to Work", "Takaful and Karama": a joiner between name words
        else:
            break
    while start < end and (doc[start].lower_ in words.joiners or _glued(doc, start)):
        if doc[start].is_title and not doc[start].whitespace_ and doc[start + 1].text == "-":
            break  # "On-the-Job Training Programme": a capitalised word opening a hyphenated one
        start += 1
    return start, end


def _run_after(doc: Doc, i: int, sent_end: int) -> tuple[int, int]:
    """A name or a quoted title starting at token ``i``: (first token, end token)."""
    words = programme_words()
    if i < sent_end and doc[i].text in _QUOTES:
        close = _QUOTES[doc[i].text]
        end = next((k for k in range(i + 1, min(sent_end, i + 30)) if doc[k].text == close), None)
        return (i + 1, end) if end is not None and end > i + 1 else (i, i)
    end = i
    while end < sent_end:
        ent = ent_at(doc, end)
        if end > i and ent is not None and ent.label_ in _COOPERATING:
            break  # "ACCEL Africa and UNICEF": the name ends before an organisation
        if _is_name_word(doc, end, inside=end > i) or (_glued(doc, end) and end > i and end + 1 < sent_end):
            end += 1
        elif (
            doc[end].lower_ in words.joiners
            and end > i
            and end + 1 < sent_end
            and _is_name_word(doc, end + 1, inside=True)
            and not _is_organisation(doc, end + 1)
        ):
            end += 1
        else:
            break
    return i, end


def _is_organisation(doc: Doc, i: int) -> bool:
    ent = ent_at(doc, i)
    return ent is not None and ent.label_ in _COOPERATING


def _strip_organisations(doc: Doc, start: int, end: int) -> int:
    """Drop an organisation standing first in a name and apart from it: "ILO Better Work
    Bangladesh" -> "Better Work Bangladesh" (but "GIZ-SKYE" stays whole)."""
    while start < end:
        ent = ent_at(doc, start)
        if ent is None or ent.label_ not in _COOPERATING or ent.end >= end or doc[ent.end].text in ("-", "/"):
            break
        start = ent.end
        if start < end and is_possessive(doc[start].text):
            start += 1
    return start


def _has_cue(doc: Doc, start: int, end: int, sent: tuple[int, int]) -> str:
    """The sign of cooperation near a programme (an organisation, a funder's words), or ""."""
    words = programme_words()
    lo, hi = max(sent[0], start - words.window_before), min(sent[1], end + words.window_after)
    for k in range(lo, hi):
        ent = ent_at(doc, k)
        if ent is not None and ent.label_ in _COOPERATING and not (start <= k < end):
            return ent.text
    found = words.cues.search(doc[lo:hi].text)
    return found.group(0) if found else ""


def _name(doc: Doc, start: int, end: int) -> str:
    return doc.text[doc[start].idx : doc[end - 1].idx + len(doc[end - 1])].strip()


def _is_generic(doc: Doc, start: int, end: int, noun: int | None) -> bool:
    """No proper name: a generic word alone ("the National programme"), only an organisation's or a
    place's name ("the ILO project", "the Kenya programme"), or the facility."""
    words = programme_words()
    named = [k for k in range(start, end) if k != noun and not doc[k].is_punct]
    if not named:
        return True
    if all(doc[k].lower_ in words.generic_names | words.joiners for k in named):
        return True
    covered: set[int] = set()
    for k in named:
        ent = ent_at(doc, k)
        if ent is not None and ent.label_ in _COOPERATING + _PLACES:
            covered.update(range(ent.start, ent.end))
    if all(k in covered for k in named):
        return True
    return _name(doc, start, end).casefold().rstrip("+ ") in {n.rstrip("+ ") for n in words.not_programmes} or any(
        doc[k].lower_.rstrip("+") in {n.rstrip("+") for n in words.not_programmes} for k in named
    )


def _known(doc: Doc, matcher: PhraseMatcher, out: list[Finding]) -> set[int]:
    """Known programmes, wherever they stand (no cue needed), with the programme noun the text
    attaches to them; returns the tokens they take."""
    words = programme_words()
    taken: set[int] = set()
    for _, start, end in matcher(doc):
        if any(k in taken for k in range(start, end)) or not doc[start].text[:1].isupper():
            continue
        if end < len(doc) and doc[end].is_title and doc[end].lower_ not in words.nouns:
            continue  # part of a longer name ("PAGE Uruguay Program")
        span = doc[start:end]
        sent = sentence_span(doc, start)
        detail = _has_cue(doc, start, end, sent)
        name, sentence = _name(doc, start, end), sentence_of(span)  # as written; its IRI is the known one's
        if end < len(doc) and doc[end].lower_ in words.nouns:
            end += 1  # the noun is part of the mention, not of the name
        out.append(Finding("programme", name, "programme-known", span.start_char, span.end_char, sentence, 1.0, detail))
        taken.update(range(start, end))
    return taken


def _named(doc: Doc, seen: set[int], out: list[Finding]) -> None:
    """Names before or after a programme noun."""
    words = programme_words()
    for i in positions(doc, words.nouns | words.name_nouns | words.lead_nouns):
        token = doc[i]
        if i in seen:
            continue
        capital = token.text[:1].isupper()
        if token.lower_ in words.name_nouns and not capital:
            continue  # "this intervention": the action itself
        sent = sentence_span(doc, i)
        if token.lower_ in words.name_nouns and i + 1 < sent[1] and (
            doc[i + 1].lower_ in words.nouns or _is_name_word(doc, i + 1, inside=True)
        ):
            continue  # "the Productive Safety Net Programme": the name goes on
        if token.lower_ in words.plural_nouns:
            continue  # "VET initiatives", "Social Prosperity’s programmes": no one proper name
        start, end = _run_before(doc, i, sent[0])
        owner = start < end and i - 1 >= sent[0] and is_possessive(doc[i - 1].text) and not _inner_possessive(doc, i)
        if start == end and i - 1 > sent[0] and is_possessive(doc[i - 1].text) and not _inner_possessive(doc, i):
            start, end = _run_before(doc, i - 1, sent[0])
            owner = True
        start = _strip_organisations(doc, start, end)
        if start < end and _is_generic(doc, start, end, None):
            start = end  # "the GIZ programme X", "the Kenya programme": no name before the noun
        if start < end and not owner:
            end = i + 1  # the noun the text attaches: "the Tekavoul programme"
            if capital:  # "Global Flagship Programme on Building Social Protection Floors for All"
                if end < sent[1] and doc[end].lower_ in words.joiners:
                    _, after = _run_after(doc, end + 1, sent[1])
                    if after > end + 1:
                        end = after
            noun: int | None = i
        elif start < end:
            noun = None  # "PIMI II’s programme": the owner's name
        elif not capital and token.lower_ in words.nouns:
            start, end = _run_after(doc, i + 1 + _naming_words(doc, i + 1, sent[1]), sent[1])
            quote = next((k for k in range(i + 1, min(sent[1], i + 5)) if doc[k].text in _QUOTES), None)
            if start >= end and quote is not None:  # "the DEVCO-ILO project with NASSCO “Strengthening ...”"
                start, end = _run_after(doc, quote, sent[1])
            noun = None
        elif token.lower_ in words.lead_nouns and (led := _led_name(doc, i, sent[1])) is not None:
            start, end = i, led  # "the Programme National de Bourses de Sécurité Familiale"
            noun = None
        else:
            continue
        if start >= end or any(k in seen for k in range(start, end)) or _is_generic(doc, start, end, noun):
            continue
        seen.update(range(min(start, i), max(end, i + 1)))
        out.append(_finding(doc, start, end, "programme-named", _has_cue(doc, min(start, i), max(end, i + 1), sent)))


def _naming_words(doc: Doc, i: int, sent_end: int) -> int:
    """How many words at ``i`` name what follows: "called", "known as" ("a scheme called Ejo Heza")."""
    for phrase in programme_words().naming:
        if i + len(phrase) <= sent_end and tuple(t.lower_ for t in doc[i : i + len(phrase)]) == phrase:
            return len(phrase)
    return 0


def _led_name(doc: Doc, i: int, sent_end: int) -> int | None:
    """The end of a name that opens with its programme noun, in a language that puts the noun first:
    "Programme National de Bourses de Sécurité Familiale", "Programa de Apoyo a Jóvenes" (a joiner
    of that language in it, so that "Programme of Advancement" and "Programme Manager" are not)."""
    words = programme_words()
    if i > 0 and doc[i - 1].text == "(":
        return None  # "PIMI II (Programa Integrado de ...)": the expansion of a name just given
    k = i + 1 + (i + 1 < sent_end and doc[i + 1].lower_ in words.foreign_joiners)
    start, end = _run_after(doc, k, sent_end)
    if end <= start:
        return None
    if doc[i].lower_ in words.foreign_lead_nouns and sum(_is_name_word(doc, j, True) for j in range(start, end)) >= 2:
        return end  # "Couverture Maladie Universelle": the noun itself is of another language
    if not any(doc[j].lower_ in words.foreign_joiners for j in range(i + 1, end)):
        return None
    return end


def _name_before(doc: Doc, end: int, sent_start: int) -> int:
    """The first token of a proper name that ends before ``end``: name words, the joiners and numbers
    between them ("Pensión 65", "Bolsa da Mãe", "Pradhan Mantri Shram Yogi Maan-dhan")."""
    words = programme_words()
    start = end
    while start - 1 >= sent_start:
        k = start - 1
        if (
            _is_name_word(doc, k, inside=start < end)
            or (_glued(doc, k) and k - 1 >= sent_start)
            or (doc[k - 1].text == "-" and not doc[k - 1].whitespace_ and k - 2 >= sent_start)  # "Maan-dhan"
        ):
            start = k
        elif doc[k].like_num and k - 1 >= sent_start and _is_name_word(doc, k - 1) and start == end:
            start = k  # "Pensión 65": a number closing a name
        elif doc[k].lower_ in words.joiners and k - 1 >= sent_start and _is_name_word(doc, k - 1) and start < end:
            start = k
        else:
            break
    while start < end and (doc[start].lower_ in words.joiners or _glued(doc, start) or doc[start].like_num):
        start += 1
    while start < end and doc[start].lower_ in words.not_name_words:
        start += 1  # "The" opening the sentence
    return start


def _before_expansion(doc: Doc, end: int, sent_start: int) -> int:
    """Where a name ends when its expansion in brackets closes at ``end``: "BEPS (Beneficios
    Económicos Periódicos), a savings scheme" -> the position of the bracket; else ``end``."""
    if end - 1 <= sent_start or doc[end - 1].text != ")":
        return end
    opening = next((k for k in range(end - 2, max(sent_start, end - 12) - 1, -1) if doc[k].text == "("), None)
    if opening is None or opening - 1 < sent_start:
        return end
    institution = load_layout().partner_nouns
    if any(doc[k].lower_ in institution for k in range(opening + 1, end - 1)):
        return end  # "the CNSS (Caisse Nationale ...)": the expansion names an institution
    return opening


def _proper(doc: Doc, start: int, end: int, sent_start: int, spelt_out: bool = False) -> bool:
    """Whether tokens ``start:end`` are a programme's proper name, not an institution's, a place's,
    an acronym's (unless ``spelt_out`` in brackets as no institution) or a capitalised first word
    of a sentence."""
    institution = load_layout().partner_nouns
    joiners = programme_words().joiners
    named = [doc[k] for k in range(start, end) if not doc[k].is_punct and doc[k].lower_ not in joiners]
    if not named or any(t.lower_ in institution for t in named):
        return False
    if all(t.is_upper or t.like_num for t in named) and not spelt_out:
        return False  # "the CNSS, a contributory scheme": an acronym names the institution more often
    if len(named) == 1 and start == sent_start:
        return False  # "Today, a new scheme ...": any first word is capitalised
    return not _is_generic(doc, start, end, None)


@cache
def _theme_words() -> frozenset[str]:
    """The words of the theme scheme's labels and cues, as lemmas ("universal", "health", "coverage")."""
    from graph.extract.themes import simple_lemma, theme_vocabulary

    return frozenset(simple_lemma(word) for phrase in theme_vocabulary() for word in re.findall(r"[\w']+", phrase))


def _descriptive(doc: Doc, start: int, end: int) -> bool:
    """A name made only of the words that say what a scheme is about ("the Universal Health Coverage
    scheme", "the Workers Compensation scheme") describes it; a proper name has a word of its own
    ("Bolsa da Mãe", "Ejo Heza")."""
    from graph.extract.themes import simple_lemma

    known = _theme_words() | programme_words().generic_names | programme_words().joiners
    return all(simple_lemma(doc[k].text) in known for k in range(start, end) if doc[k].is_alpha)


def _defined(doc: Doc, seen: set[int], out: list[Finding]) -> None:
    """Names that the text says are a scheme, with no programme word attached: "Juntos, a
    conditional transfer for poor families", "Ejo Heza is a voluntary savings scheme", "the Bolsa da
    Mãe transfer", "a pension known as Renta Dignidad"."""
    words = programme_words()
    for i in positions(doc, words.scheme_nouns):
        if not doc[i].is_lower:
            continue  # "the Social Pension Scheme": a capitalised noun is part of a name read otherwise
        if i + 1 < len(doc) and (doc[i + 1].lower_ in words.scheme_modified or is_possessive(doc[i + 1].text)):
            continue  # "Ana Ruiz, the project coordinator", "the scheme's staff": the noun is no head
        sent = sentence_span(doc, i)
        found: tuple[int, int] | None = None
        spelt_out = False  # the name's expansion in brackets stands between it and its definition
        # "NAME, a conditional transfer", "NAME is a voluntary savings scheme"
        k = i - 1
        while k > sent[0] and i - k <= 2 * words.max_between and (
            (doc[k].is_lower and doc[k].is_alpha)
            or (doc[k].text == "-" and not doc[k].whitespace_)
            or (is_possessive(doc[k].text) and doc[k - 1].is_lower)
        ):  # "a voluntary long-term savings scheme", "the country's main cash transfer"
            if doc[k].lower_ in words.definers:
                break
            k -= 1
        if doc[k].lower_ in words.definers and k - 1 > sent[0]:
            j = k - 1
            if doc[j].lower_ in ("is", "was", "remains", ","):
                end = _before_expansion(doc, j, sent[0])
                start = _name_before(doc, end, sent[0])
                if start < end:
                    found = (start, end)
                    spelt_out = end < j
        # "the Bolsa da Mãe transfer": a name of two words or more just before the noun
        if found is None and i - 1 > sent[0]:
            start = _name_before(doc, i, sent[0])
            named = sum(_is_name_word(doc, k, inside=True) for k in range(start, i))
            if named >= 2 and start > sent[0] and doc[start - 1].lower_ == "the":
                found = (start, i)
        # "a scheme called Ejo Heza"; "its job loss insurance, Jaminan Kehilangan Pekerjaan (JKP),"
        if found is None:
            after = i + 1 + _naming_words(doc, i + 1, sent[1])
            if after == i + 1 and i + 2 < sent[1] and doc[i + 1].text == ",":
                start, end = _run_after(doc, i + 2, sent[1])
                if start < end and (end == sent[1] or doc[end].text in (",", "(", ".", ";")):
                    found = (start, end)
            elif after > i + 1:
                start, end = _run_after(doc, after, sent[1])
                if start < end:
                    found = (start, end)
        if found is None:
            continue
        start, end = found
        if any(k in seen for k in range(start, end)):
            continue
        if not _proper(doc, start, end, sent[0], spelt_out) or _descriptive(doc, start, end):
            continue
        seen.update(range(start, end))
        out.append(_finding(doc, start, end, "programme-defined", _has_cue(doc, start, max(end, i + 1), sent)))


def _subjects(doc: Doc, seen: set[int], out: list[Finding]) -> None:
    """A scheme named in the partner's language as its sentence's subject, doing for people what
    schemes do: "Jóvenes Construyendo el Futuro places young people in companies"; not an
    institution ("The National Employment Agency places jobseekers"), a person, a place or an
    organisation."""
    words = programme_words()
    for sent in doc.sents:
        first = sent.start + (doc[sent.start].lower_ == "the")
        start, end = _run_after(doc, first, sent.end)
        if end - start < 2 or end >= sent.end or any(k in seen for k in range(start, end)):
            continue
        if doc[end].lower_ not in words.subject_verbs:
            continue
        after = {doc[k].lower_ for k in range(end + 1, min(sent.end, end + 1 + words.subject_window))}
        if not after & words.beneficiaries:
            continue
        if any(ent_at(doc, k) is not None for k in range(start, end)):
            continue  # an organisation's, a place's or a country's name
        if not any(doc[k].lower_ in words.foreign_joiners - {"a"} for k in range(start + 1, end)):
            continue  # a name in the partner's language ("el", "de"...), not a person's ("Maria Lopez")
        if not _proper(doc, start, end, sent.start - 1) or _descriptive(doc, start, end):
            continue
        seen.update(range(start, end))
        out.append(_finding(doc, start, end, "programme-subject", _has_cue(doc, start, end, (sent.start, sent.end))))


def _finding(doc: Doc, start: int, end: int, rule: str, cue: str) -> Finding:
    """The programme named by tokens ``start:end``, found by ``rule``, with the sign of cooperation
    near it (``cue``) as its detail."""
    span = doc[start:end]
    name = _name(doc, start, end)
    return Finding("programme", name, rule, span.start_char, span.end_char, sentence_of(span), detail=cue)


@Language.factory("socx_programmes")
def make_programmes(nlp: Language, name: str):
    """Append a ``programme`` finding (value: the name as written; detail: the sign of cooperation
    near it, if any) per programme."""
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    for written, canonical in programme_words().known.items():
        if canonical.casefold() not in programme_words().not_programmes:
            matcher.add(canonical, [nlp.make_doc(written)])

    def programmes(doc: Doc) -> Doc:
        out = findings(doc)
        seen = _known(doc, matcher, out)
        _named(doc, seen, out)
        _defined(doc, seen, out)
        _subjects(doc, seen, out)
        return doc

    return programmes
