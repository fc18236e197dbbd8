"""Rule components over a spaCy Doc: country roles, action codes, cooperating organisations.

Each component appends :class:`Finding` objects to ``doc._.findings``: what was found, by which
rule, and the character span in the doc's text, so every fact keeps its evidence.
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache

from spacy.attrs import LOWER, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from graph.extract.gazetteer import load_gazetteer
from graph.vocab import load_layout, ontology_dir

if not Doc.has_extension("findings"):
    Doc.set_extension("findings", default=None)


@dataclass(frozen=True)
class Finding:
    """One piece of evidence in one text: kind, value, the rule, its weight and where it stands."""

    # expert_country, study_visit_country, partner_country_candidate, mention, action_code, related_action,
    # organisation, theme
    kind: str
    value: str
    rule: str
    start: int  # character offsets of the evidence in the doc's text
    end: int
    sentence: str
    weight: float = 1.0
    detail: str = ""  # the link type of a related action, the role of an organisation


def findings(doc: Doc) -> list[Finding]:
    if doc._.findings is None:
        doc._.findings = []
    return doc._.findings


# ---------------------------------------------------------------- vocabulary (ontology/reference/roles.toml)


@dataclass(frozen=True)
class Roles:
    expert_nouns: frozenset[str]
    expert_compounds: frozenset[str]
    list_nouns: frozenset[str]
    trainee_cues: frozenset[str]
    gap_words: frozenset[str]
    max_modifiers: int
    partner_peers: frozenset[str]
    study_nouns: frozenset[str]
    study_modifiers: frozenset[str]
    visit_verbs: frozenset[str]
    mention_before: tuple[str, ...]
    mention_after: frozenset[str]
    code_relations: tuple[tuple[str, tuple[str, ...]], ...]
    own_code: tuple[str, ...]


@cache
def roles() -> Roles:
    data = tomllib.loads((ontology_dir() / "reference" / "roles.toml").read_text(encoding="utf-8"))
    experts, visits, mentions, codes = data["experts"], data["study_visits"], data["mentions"], data["codes"]
    return Roles(
        expert_nouns=frozenset(experts["nouns"]),
        expert_compounds=frozenset(experts["compounds"]),
        list_nouns=frozenset(experts["list_nouns"]),
        trainee_cues=frozenset(experts["trainee_cues"]),
        gap_words=frozenset(experts["gap_words"]),
        max_modifiers=int(experts["max_modifiers"]),
        partner_peers=frozenset(experts["partner_peers"]),
        study_nouns=frozenset(visits["nouns"]),
        study_modifiers=frozenset(visits["modifiers"]),
        visit_verbs=frozenset(visits["verbs"]),
        mention_before=tuple(mentions["before"]),
        mention_after=frozenset(mentions["after"]),
        code_relations=tuple((name, tuple(codes[name])) for name in ("follow-up", "builds-on", "parallel-to")),
        own_code=tuple(codes["own"]),
    )


# words that end a clause: no list, gap or noun phrase runs across them
STOP = {
    "to",
    "in",
    "on",
    "for",
    "at",
    "with",
    "and",
    "or",
    "but",
    "that",
    "which",
    ".",
    ";",
    ":",
    "of",
    "about",
    "into",
    "through",
    "during",
    "under",
    "between",
    "among",
    "their",
    "its",
    "his",
    "her",
    "while",
    "who",
}
LIST_GLUE = frozenset(
    ", and & as well both the from also or plus — – - one another a an two three four each of by".split()
)
DETERMINERS = {"a", "an", "the", "one", "two", "three", "four", "five"}


def is_expert_noun(token: Token) -> bool:
    lower = token.lower_
    vocab = roles()
    if lower in vocab.expert_nouns or (len(lower) > 7 and lower.endswith(("experts", "expert"))):
        return True
    return token.i > 0 and f"{token.doc[token.i - 1].lower_} {lower}" in vocab.expert_compounds


def _lowers(doc: Doc) -> list[str]:
    """The lower-case form of every token, computed once per doc: the rules look words up by position
    instead of walking every token (Token objects are costly to make)."""
    cached = doc.user_data.get("_socx_lowers")
    if cached is None:
        strings = doc.vocab.strings
        cached = [strings[int(h)] for h in doc.to_array(LOWER)] if len(doc) else []
        doc.user_data["_socx_lowers"] = cached
    return cached


def _expert_positions(doc: Doc) -> list[int]:
    """Positions of the expert nouns of the doc (``is_expert_noun`` for every token, once)."""
    cached = doc.user_data.get("_socx_experts")
    if cached is None:
        vocab = roles()
        lowers = _lowers(doc)
        cached = [
            i
            for i, w in enumerate(lowers)
            if w in vocab.expert_nouns
            or (len(w) > 7 and w.endswith(("experts", "expert")))
            or (i > 0 and f"{lowers[i - 1]} {w}" in vocab.expert_compounds)
        ]
        doc.user_data["_socx_experts"] = cached
    return cached


def _positions(doc: Doc, words: frozenset[str] | set[str]) -> list[int]:
    return [i for i, w in enumerate(_lowers(doc)) if w in words]


def _ent_index(doc: Doc) -> tuple[dict[int, Span], dict[int, Span]]:
    """Entities by first and by last token, built once per doc (texts may hold thousands)."""
    index = doc.user_data.get("_socx_ents")
    if index is None:  # the entity ruler has run before any rule component; entities do not change after
        ents = doc.ents
        index = ({e.start: e for e in ents}, {e.end - 1: e for e in ents})
        doc.user_data["_socx_ents"] = index
    return index


def _ent_at(doc: Doc, i: int) -> Span | None:
    return _ent_index(doc)[0].get(i)


def _ent_ending_at(doc: Doc, i: int) -> Span | None:
    return _ent_index(doc)[1].get(i)


def _followed_by_speaking(doc: Doc, ent: Span) -> bool:
    nxt = doc[ent.end : ent.end + 2]
    return any(t.lower_ in ("speaking", "language", "languages", "version", "translation") for t in nxt)


def sentence_of(span: Span | Token) -> str:
    """The text of the sentence ``span`` starts in, stripped: what ``span.sent.text.strip()`` gives,
    from sentence bounds found once per doc (``.sent`` walks the tokens on every call)."""
    doc = span.doc
    bounds = doc.user_data.get("_socx_sents")
    if bounds is None:
        text = doc.text  # made by joining every token: once
        starts = [i for i, v in enumerate(doc.to_array(SENT_START).tolist()) if i == 0 or v == 1]
        bounds = doc.user_data["_socx_sents"] = (text, starts, [doc[i].idx for i in starts] + [len(text)])
    text, starts, chars = bounds
    k = bisect_right(starts, span.i if isinstance(span, Token) else span.start)  # spaCy: the first token's
    return text[chars[k - 1] : chars[k]].strip()


# ---------------------------------------------------------------- list reading


def _skip_name(doc: Doc, j: int, end: int) -> int:
    """Skip an institution's name after a demonym or a possessive: "(the Czech) Ministry of Labour",
    "(Greece's) public employment service DYPA"; stop at a clause boundary or a country."""
    start = j
    while j < end and j - start < 10:
        token = doc[j]
        if token.text == "(":
            close = next((k for k in range(j + 1, min(end, j + 16)) if doc[k].text == ")"), None)
            if close is None:
                break
            j = close + 1
            continue
        if (
            token.lower_ == "and"
            and j + 1 < end
            and doc[j + 1].is_title
            and _ent_at(doc, j + 1) is None
            and j > start
            and doc[j - 1].is_title
        ):
            j += 1  # "Agency for Labour Market and Recruitment": "and" inside a name
            continue
        if (
            token.lower_ in (",", ";", ".", "and", "or", "while", "who", "which", "to", "with", "in", "on", "at")
            or _ent_at(doc, j) is not None
        ):
            break
        j += 1
    return j


def _institution_of_country(doc: Doc, j: int, end: int) -> tuple[Span, int] | None:
    """ "the Public Employment Service of Cyprus": a capitalised name ending in "of COUNTRY"."""
    k = j + (doc[j].lower_ == "the")
    if k >= end or not (doc[k].is_title or doc[k].is_upper) or _ent_at(doc, k) is not None:
        return None
    while k < end and k - j < 10:
        token = doc[k]
        if token.lower_ in ("of", "in") and k + 1 < end:
            nxt = k + 1 + (doc[k + 1].lower_ == "the")
            ent = _ent_at(doc, nxt) if nxt < end else None
            if ent is not None and ent.label_ == "COUNTRY":
                return ent, ent.end
        if not (token.is_title or token.is_upper or token.lower_ in ("of", "for", "and", "the", "on", "&")):
            return None
        k += 1
    return None


def read_country_list(doc: Doc, i: int, limit: int) -> tuple[list[tuple[str, Span, str]], int]:
    """Read a coordinated list of countries from token ``i``: "France, Italy and the Netherlands",
    "the Estonian Social Insurance Board and from the Italian INPS", "Austria's AMS and one from
    Belgium". Returns (alpha3, span, how) items, ``how`` being the entity label, and the index after."""
    items: list[tuple[str, Span, str]] = []
    j = i
    end = min(limit, len(doc))
    while j < end:
        token = doc[j]
        ent = _ent_at(doc, j)
        if ent is not None and ent.label_ in ("COUNTRY", "PLACE", "EXPERT_AGENCY"):
            items.append((ent.ent_id_, ent, ent.label_))
            j = ent.end
            if j < end and doc[j].lower_ in ("’s", "'s", "’", "'"):  # "Türkiye's Social Security Institution"
                j = _skip_name(doc, j + 1, end)
            continue
        if ent is not None and ent.label_ == "DEMONYM" and not _followed_by_speaking(doc, ent):
            # "from the Spanish Public Employment Service": a demonym opening an institution's name
            items.append((ent.ent_id_, ent, "DEMONYM"))
            j = _skip_name(doc, ent.end, end)
            continue
        found = _institution_of_country(doc, j, end) if token.lower_ == "the" or token.is_title else None
        if found is not None:
            ent, j = found
            items.append((ent.ent_id_, ent, "COUNTRY"))
            continue
        if token.text == "," and items:  # an aside: ", mobilised through triangular cooperation, and from"
            close = next((k for k in range(j + 1, min(end, j + 18)) if doc[k].text == ","), None)
            if (
                close is not None
                and close + 2 < end
                and doc[close + 1].lower_ == "and"
                and (
                    doc[close + 2].lower_ in ("from", "one", "a", "an", "another", "of", "by")
                    or is_expert_noun(doc[close + 2])
                )
            ):
                j = close + 1
                continue
        if token.lower_ in LIST_GLUE or (token.lower_ in ("this", "time") and items):
            j += 1
            continue
        if items and (is_expert_noun(token) or token.lower_ in roles().list_nouns):  # "... and a colleague from"
            j += 1
            continue
        if token.text == "(" and items:
            close = next((k for k in range(j + 1, min(end, j + 16)) if doc[k].text == ")"), None)
            if close is not None:
                j = close + 1
                continue
        break
    return items, j


# ---------------------------------------------------------------- country roles


def _expert_from(doc: Doc, out: list[Finding]) -> set[int]:
    """ "experts from France and Spain", "experts mobilised by SOCIEUX+ from Spain", "an expert of the
    Portuguese Social Security Institute", "EU experts - from Croatia and France this time -",
    "experts from public employment services of France, Spain, and Sweden", "experts mobilized by the
    German Association of Accident Insurance", "expertise from EU countries, including Slovenia"."""
    used: set[int] = set()
    gap_words = roles().gap_words
    gazetteer = load_gazetteer()
    for position in _expert_positions(doc):
        token = doc[position]
        before = doc[max(token.sent.start, token.i - 3) : token.i]
        if any(t.lower_ in roles().trainee_cues for t in before) or "training of" in before.text.lower():
            continue  # "trained 30 counsellors from La Paz": the partner's staff
        sent_end = token.sent.end
        j = token.i + 1
        preposition = None
        while j < sent_end and j - token.i <= 7:
            lower = doc[j].lower_
            if lower in ("by", "to"):
                # "experts mobilized by the German Association", "expertise provided by Slovenia's Ministry":
                # a demonym, a national agency or a country's institution; "by SOCIEUX+" is only a gap
                k = j + 1 + (j + 1 < sent_end and doc[j + 1].lower_ == "the")
                ent = _ent_at(doc, k) if k < sent_end else None
                possessive = ent is not None and ent.end < sent_end and doc[ent.end].lower_ in ("’s", "'s", "’", "'")
                if ent is not None and (
                    ent.label_ in ("DEMONYM", "EXPERT_AGENCY") or (ent.label_ == "COUNTRY" and possessive)
                ):
                    preposition = "by"
                    break
            elif lower in ("from", "of"):
                preposition = lower
                break
            elif lower not in gap_words:
                break
            j += 1
        if preposition is None:
            continue
        items, _ = read_country_list(doc, j + 1, sent_end)
        if not items and preposition == "from":
            # "from public employment services of France", "from multiple EU countries — including Slovenia"
            k = j + 1
            while k < sent_end and k - j <= 9 and _ent_at(doc, k) is None and doc[k].lower_ not in (";", "."):
                k += 1
            cue = doc[j + 1 : k].text.lower()
            if k < sent_end and (
                k - 1 > j
                and doc[k - 1].lower_ in ("of", "in", "including", "namely", "(", ":")
                or "such as" in cue
                or "including" in cue
            ):
                items, _ = read_country_list(doc, k, sent_end)
        for alpha3, ent, how in items:
            if preposition == "of" and how == "COUNTRY" and token.lower_ == "expertise":
                continue  # "the expertise of Peru in ..." speaks of the partner; "an expert of Estonia" does not
            if preposition == "by" and how == "PLACE":
                continue
            if how == "PLACE" and not gazetteer.countries[alpha3].eu_member:
                continue  # "counsellors from La Paz": a place names the partner's side, not an expert country
            rule = {
                "COUNTRY": "expert-from-country",
                "PLACE": "expert-from-place",
                "EXPERT_AGENCY": "expert-from-agency",
                "DEMONYM": "expert-from-demonym-institution",
            }[how]
            out.append(Finding("expert_country", alpha3, rule, ent.start_char, ent.end_char, sentence_of(ent)))
            used.update(range(ent.start, ent.end))
    return used


def _expert_origins(doc: Doc, out: list[Finding]) -> set[int]:
    """ "Teams of experts with different profiles and country origin (France, Morocco, the Netherlands)"."""
    used: set[int] = set()
    experts = _expert_positions(doc)
    for position in _positions(doc, {"origin", "origins", "nationality", "nationalities"}):
        token = doc[position]
        sentence = token.sent
        if not any(sentence.start <= i < sentence.end for i in experts):
            continue
        j = token.i + 1
        if j < token.sent.end and doc[j].lower_ in ("(", ":"):
            items, _ = read_country_list(doc, j + 1, token.sent.end)
            for alpha3, ent, how in items:
                if how == "COUNTRY":
                    out.append(
                        Finding(
                            "expert_country", alpha3, "expert-origin-list", ent.start_char, ent.end_char, sentence_of(ent)
                        )
                    )
                    used.update(range(ent.start, ent.end))
    return used


def _demonym_experts(doc: Doc, out: list[Finding]) -> set[int]:
    """ "Spanish experts", "Belgian and Dutch experts", "Finnish, French, and German experts",
    "Belgian, Romanian and Swedish expertise", "a Slovenian and a Croatian expert", "French PES
    experts", "a French child protection specialist". "their Tunisian peers" are the partner's own
    staff: evidence of the partner country instead."""
    used: set[int] = set()
    vocab = roles()
    for position in _expert_positions(doc):
        token = doc[position]
        j = token.i - 1
        if token.i > 0 and f"{doc[token.i - 1].lower_} {token.lower_}" in vocab.expert_compounds:
            j -= 1
        sent_start = token.sent.start
        skipped = 0
        while (
            j >= sent_start
            and skipped < vocab.max_modifiers
            and _ent_ending_at(doc, j) is None
            and ((doc[j].is_lower and doc[j].is_alpha and doc[j].lower_ not in STOP | DETERMINERS) or doc[j].is_upper)
        ):
            skipped += 1
            j -= 1
        found: list[Span] = []
        while j >= sent_start:
            ent = _ent_ending_at(doc, j)
            if ent is not None and ent.label_ == "DEMONYM" and not _followed_by_speaking(doc, ent):
                found.append(ent)
                j = ent.start - 1
                while j >= sent_start and doc[j].lower_ in DETERMINERS:
                    j -= 1
                if j >= sent_start and doc[j].lower_ in (",", "and", "&", "or"):
                    j -= 1
                    while j >= sent_start and doc[j].lower_ in {",", "and"} | DETERMINERS:
                        j -= 1
                    continue
            break
        if not found:
            continue
        first = min(found, key=lambda e: e.start)
        if token.lower_ in ("team", "teams") and first.start > 0 and doc[first.start - 1].lower_ == "the":
            continue  # "The Paraguayan team, 14 officials": the partner's own team
        peers = first.start > 0 and doc[first.start - 1].lower_ in vocab.partner_peers
        for ent in found:
            if peers:
                out.append(
                    Finding(
                        "partner_country_candidate",
                        ent.ent_id_,
                        "partner-peers",
                        ent.start_char,
                        ent.end_char,
                        sentence_of(ent),
                        4.0,
                    )
                )
            else:
                out.append(
                    Finding(
                        "expert_country", ent.ent_id_, "demonym-expert", ent.start_char, ent.end_char, sentence_of(ent)
                    )
                )
            used.update(range(ent.start, ent.end))
    return used


def _destination(doc: Doc, start: int, end: int, window: int = 12) -> list[tuple[str, Span, str]]:
    """The countries a visit went to: the first country, place or demonym after "to", "in" or "at"."""
    seen_preposition = False
    for j in range(start, min(end, start + window)):
        token = doc[j]
        if token.lower_ in (";", "."):
            break
        if token.lower_ in ("to", "in", "at"):
            seen_preposition = True
            continue
        ent = _ent_at(doc, j)
        if ent is not None and ent.label_ in ("COUNTRY", "PLACE", "DEMONYM", "EXPERT_AGENCY") and seen_preposition:
            items, _ = read_country_list(doc, j, end)
            return items
    return []


def _study_visits(doc: Doc, out: list[Finding]) -> set[int]:
    """ "a study visit to Germany", "study tour in Spain and Italy", "a study-visit to different peer
    institutions in Romania", "a delegation from Kazakhstan visited Finland", "An ISSSTE delegation
    travelled to Madrid", "a working visit of PFU managers to the ZUS headquarters in Warsaw", "an
    exchange ... organised in Ljubljana for a delegation" (an EU host)."""
    used: set[int] = set()
    vocab = roles()
    gazetteer = load_gazetteer()
    for position in _positions(doc, vocab.study_nouns | vocab.visit_verbs | {"delegation", "delegations"}):
        token = doc[position]
        lower = token.lower_
        previous = (
            doc[token.i - 2]
            if token.i > 1 and doc[token.i - 1].text in ("-", "–")
            else (doc[token.i - 1] if token.i > 0 else None)
        )
        if lower in vocab.study_nouns and previous is not None and previous.lower_ in vocab.study_modifiers:
            items = _destination(doc, token.i + 1, token.sent.end)
        elif lower in vocab.visit_verbs and _has_delegation(token.sent):
            items = read_country_list(doc, token.i + 1, token.sent.end)[0] or _destination(doc, token.i, token.sent.end)
        elif lower in ("delegation", "delegations") and token.ent_type_ != "ORG":
            # "an exchange ... was organised in Ljubljana for a delegation": only towards an EU host
            items = [
                item
                for item in _destination(doc, token.sent.start, token.sent.end, window=60)
                if item[0] in gazetteer.countries and gazetteer.countries[item[0]].eu_member
            ]
        else:
            continue
        for alpha3, ent, how in items:
            if ent.start in used:
                continue
            how = "agency" if how == "EXPERT_AGENCY" else how.lower()
            out.append(
                Finding(
                    "study_visit_country", alpha3, f"study-visit-{how}", ent.start_char, ent.end_char, sentence_of(ent)
                )
            )
            used.update(range(ent.start, ent.end))
    return used


def _has_delegation(sentence: Span) -> bool:
    return any(t.lower_ in ("delegation", "delegations") and t.ent_type_ != "ORG" for t in sentence)


def _is_mention_only(doc: Doc, ent: Span) -> bool:
    vocab = roles()
    start = max(ent.sent.start, ent.start - 5)
    for k in range(ent.start - 1, start - 1, -1):  # the cue must stand in the same clause
        if doc[k].text in (";", ":", ".", "!", "?"):
            start = k + 1
            break
    before = doc[start : ent.start].text.lower()
    after = doc[ent.end : min(ent.sent.end, ent.end + 2)]
    return any(cue in before for cue in vocab.mention_before) or any(t.lower_ in vocab.mention_after for t in after)


def _partner_candidates(doc: Doc, used: set[int], field: str, out: list[Finding]) -> None:
    """Every other country, demonym or place is a candidate for the partner country, weighted by
    how it stands: "<institution> of Peru", "Montenegro's Centre", "the Peruvian Council", "in Mali"."""
    nouns = load_layout().partner_nouns
    for ent in doc.ents:
        if ent.label_ not in ("COUNTRY", "DEMONYM", "PLACE") or ent.start in used:
            continue
        if ent.label_ == "DEMONYM" and _followed_by_speaking(doc, ent):
            continue
        sentence = sentence_of(ent)
        if _is_mention_only(doc, ent):
            out.append(Finding("mention", ent.ent_id_, "mention-only", ent.start_char, ent.end_char, sentence, 0.0))
            continue
        prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
        prev2 = doc[ent.start - 2].lower_ if ent.start > 1 else ""
        window = [t.lower_ for t in doc[max(ent.sent.start, ent.start - 10) : ent.start]]
        nxt = doc[ent.end] if ent.end < len(doc) else None
        after = [t.lower_ for t in doc[ent.end : min(len(doc), ent.end + 5)]]
        if field == "partner":
            rule, weight = "partner-line-" + ent.label_.lower(), 5.0 if ent.label_ != "DEMONYM" else 4.0
        elif (
            ent.label_ == "COUNTRY"
            and (prev == "of" or (prev == "the" and prev2 == "of"))
            and any(w in nouns or w.isupper() for w in window)
        ):
            rule, weight = "institution-of-country", 4.0
        elif ent.label_ == "COUNTRY" and prev == "in" and any(w in nouns for w in window[-6:]):
            rule, weight = "institution-in-country", 3.5
        elif ent.label_ in ("COUNTRY", "PLACE") and nxt is not None and nxt.lower_ in ("’s", "'s", "’", "'"):
            # "Montenegro's Center for Social Work" (4); "Singapore's demerit point system" (a mention)
            owner = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
            institution = owner is not None and (owner.is_title or owner.is_upper)
            rule, weight = ("country-possessive", 4.0) if institution else ("country-possessive-mention", 1.0)
        elif ent.label_ == "DEMONYM" and any(w in nouns for w in after):
            rule, weight = "demonym-institution", 3.0
        elif ent.label_ in ("COUNTRY", "PLACE") and prev in ("in", "of", "for", "to"):
            rule, weight = f"{ent.label_.lower()}-after-preposition", 1.0
        elif ent.label_ == "COUNTRY":
            rule, weight = "country-mention", 1.0
        elif ent.label_ == "PLACE":
            rule, weight = "place-mention", 1.0
        else:
            rule, weight = "demonym-mention", 0.5
        out.append(
            Finding("partner_country_candidate", ent.ent_id_, rule, ent.start_char, ent.end_char, sentence, weight)
        )


@Language.component("socx_country_roles")
def country_roles(doc: Doc) -> Doc:
    """Expert, study-visit and partner-country evidence; the field is in ``doc.user_data["field"]``."""
    out = findings(doc)
    used = _expert_from(doc, out) | _expert_origins(doc, out) | _demonym_experts(doc, out) | _study_visits(doc, out)
    for ent in doc.ents:
        if ent.label_ == "BLOCK":
            used.update(range(ent.start, ent.end))
    _partner_candidates(doc, used, doc.user_data.get("field", "description"), out)
    return doc


# ---------------------------------------------------------------- action codes

_CODE = re.compile(r"(?<![\d-])((?:19|20)\d{2})-(\d{2})(?![\d-])")


def _is_own_code(before: str, after: str) -> bool:
    """ "Action 2023-11 was implemented", "This action is coded 2023-38", "registered as Action 2024-17"."""
    lowered = before.lower()
    if re.fullmatch(r"\s*((the|this)\s+)?action\s*", lowered) and re.match(r"\s*(,|\(|[a-z]+\b)", after.lower()):
        return True  # "Action 2023-11 was implemented", "The action 2024-37 has permitted", "Action 2024-18 supported"
    if re.fullmatch(r"\s*(through|with|under|via|in)\s+(this\s+)?action\s*", lowered) and after.startswith(","):
        return True  # "Through Action 2024-12, the institute received ..."
    subject = re.search(r"\b(this|the present|the current|the|our)\s+(action|intervention)\b", lowered)
    return bool(subject) and any(
        re.search(rf"\b{re.escape(cue)}\b", lowered[subject.end() :]) for cue in roles().own_code
    )


@Language.component("socx_action_codes")
def action_codes(doc: Doc) -> Doc:
    """ "Action 2022-21", "Follow-up from action 2014-04", "in parallel to the action 2020-35";
    a year range such as "2024-2027" or a strategy "2016-20" without the word action is no code."""
    out = findings(doc)
    text = doc.text
    previous: tuple[int, Finding] | None = None  # "(including 2017-17, 2015-24, and 2014-25)"
    for match in _CODE.finditer(text):
        if previous is not None and re.fullmatch(r"\s*(,|and|&|or|,\s*and)\s*", text[previous[0] : match.start()]):
            code = f"{match.group(1)}-{match.group(2)}"
            listed = previous[1]
            finding = Finding(
                listed.kind, code, listed.rule, match.start(), match.end(), listed.sentence, detail=listed.detail
            )
            out.append(finding)
            previous = (match.end(), finding)
            continue
        previous = None
        before_count = len(out)
        code = f"{match.group(1)}-{match.group(2)}"
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        sentence = span.sent if span is not None else doc[:]
        before = text[sentence.start_char : match.start()].lower()
        near = before[-40:]
        after = text[match.end() : sentence.end_char].lower()
        relation = next((name for name, cues in roles().code_relations if any(c in before for c in cues)), None)
        says_action = "action" in near[-25:]
        cue_near = relation is not None and any(c in near for _, cues in roles().code_relations for c in cues)
        if relation is None and _is_own_code(text[sentence.start_char : match.start()], after):
            out.append(Finding("action_code", code, "own-code", match.start(), match.end(), sentence.text.strip()))
        elif relation and (says_action or cue_near):
            out.append(
                Finding(
                    "related_action",
                    code,
                    f"reference-{relation}",
                    match.start(),
                    match.end(),
                    sentence.text.strip(),
                    detail=relation,
                )
            )
        elif says_action:
            out.append(
                Finding(
                    "related_action",
                    code,
                    "reference-action",
                    match.start(),
                    match.end(),
                    sentence.text.strip(),
                    detail="related",
                )
            )
        if len(out) > before_count:
            previous = (match.end(), out[-1])
    return doc


# ---------------------------------------------------------------- organisations

_ROLES = (
    ("funder", ("funded", "financed", "funding", "sponsored", "financing", "grant from")),
    (
        "collaborator",
        (
            "collaboration with",
            "together with",
            "jointly",
            "partnership with",
            "support of",
            "alongside",
            "co-organi",
            "cooperation with",
            "with the",
            "and the",
        ),
    ),
    ("programme", ("project", "programme", "program", "initiative", "framework")),
)


@Language.component("socx_organisations")
def organisations(doc: Doc) -> Doc:
    """Cooperating organisations (ILO, GIZ, the World Bank, an EU Delegation...) with their role."""
    out = findings(doc)
    for ent in doc.ents:
        if ent.label_ != "ORG":
            continue
        before = doc[max(ent.sent.start, ent.start - 6) : ent.start].text.lower()
        after = doc[ent.end : min(ent.sent.end, ent.end + 4)].text.lower()
        role = next((name for name, cues in _ROLES if any(c in before for c in cues)), None)
        role = role or next((name for name, cues in _ROLES if any(c in after for c in cues)), "cooperating")
        out.append(
            Finding(
                "organisation",
                ent.ent_id_,
                "organisation-gazetteer",
                ent.start_char,
                ent.end_char,
                sentence_of(ent),
                detail=role,
            )
        )
    return doc
