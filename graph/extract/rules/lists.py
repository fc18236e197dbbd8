"""Reading a coordinated list of countries, the institutions named in it and their countries:
"France, Italy and the Netherlands", "the Estonian Social Insurance Board and from the Italian
INPS", "Austria's AMS and one from Belgium", "the Public Employment Service of Cyprus"."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from graph.extract.doc_index import ent_at
from graph.extract.rules.vocabulary import is_expert_noun, roles
from graph.read.apostrophes import is_possessive

# SHARED_PLACE items carry every country the place may be in ("CHL|PHL"): a reader decides
COUNTRY_LABELS = ("COUNTRY", "PLACE", "SHARED_PLACE", "EXPERT_AGENCY")


def followed_by_language_word(doc: Doc, ent: Span) -> bool:
    """A demonym used for a language: "Portuguese-speaking", "a Spanish version"."""
    words = roles().language_words
    return any(t.lower_ in words for t in doc[ent.end : ent.end + 2])


def _close_bracket(doc: Doc, j: int, end: int, window: int = 16) -> int | None:
    return next((k for k in range(j + 1, min(end, j + window)) if doc[k].text == ")"), None)


def skip_name(doc: Doc, j: int, end: int) -> int:
    """Skip an institution's name after a demonym or a possessive: "(the Czech) Ministry of Labour",
    "(Greece's) public employment service DYPA"; stop at a clause boundary or a country."""
    vocab = roles()
    start = j
    while j < end and j - start < 10:
        token = doc[j]
        if token.text == "(":
            close = _close_bracket(doc, j, end)
            if close is None:
                break
            j = close + 1
            continue
        if (
            token.lower_ == "and"
            and j + 1 < end
            and doc[j + 1].is_title
            and ent_at(doc, j + 1) is None
            and j > start
            and doc[j - 1].is_title
        ):
            j += 1  # "Agency for Labour Market and Recruitment": "and" inside a name
            continue
        if token.lower_ in vocab.name_breaks or ent_at(doc, j) is not None:
            break
        j += 1
    return j


def institution_of_country(doc: Doc, j: int, end: int) -> tuple[Span, int] | None:
    """ "the Public Employment Service of Cyprus": a capitalised name ending in "of COUNTRY"."""
    vocab = roles()
    k = j + (doc[j].lower_ == "the")
    if k >= end or not (doc[k].is_title or doc[k].is_upper) or ent_at(doc, k) is not None:
        return None
    while k < end and k - j < 10:
        token = doc[k]
        if token.lower_ in vocab.of_country and k + 1 < end:
            nxt = k + 1 + (doc[k + 1].lower_ == "the")
            ent = ent_at(doc, nxt) if nxt < end else None
            if ent is not None and ent.label_ == "COUNTRY":
                return ent, ent.end
        if not (token.is_title or token.is_upper or token.lower_ in vocab.name_joiners):
            return None
        k += 1
    return None


def read_country_list(doc: Doc, i: int, limit: int) -> tuple[list[tuple[str, Span, str]], int]:
    """Read a coordinated list of countries from token ``i``. Returns (alpha3, span, how) items,
    ``how`` being the entity label, and the index after the list."""
    vocab = roles()
    items: list[tuple[str, Span, str]] = []
    j = i
    end = min(limit, len(doc))
    while j < end:
        token = doc[j]
        ent = ent_at(doc, j)
        if ent is not None and ent.label_ in COUNTRY_LABELS:
            owner = _agency_of_country(doc, ent, end) if ent.label_ == "EXPERT_AGENCY" else None
            if owner is not None:  # "the INPS of Cabo Verde": that country's institution of the name
                items.append((owner.ent_id_, owner, "COUNTRY"))
                j = owner.end
                continue
            items.append((ent.ent_id_, ent, ent.label_))
            j = ent.end
            if j < end and is_possessive(doc[j].text):  # "Türkiye's Social Security Institution"
                j = skip_name(doc, j + 1, end)
            continue
        if ent is not None and ent.label_ == "DEMONYM" and not followed_by_language_word(doc, ent):
            # "from the Spanish Public Employment Service": a demonym opening an institution's name
            items.append((ent.ent_id_, ent, "DEMONYM"))
            j = skip_name(doc, ent.end, end)
            continue
        found = institution_of_country(doc, j, end) if token.lower_ == "the" or token.is_title else None
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
                and (doc[close + 2].lower_ in vocab.aside_resumers or is_expert_noun(doc[close + 2]))
            ):
                j = close + 1
                continue
        if token.lower_ in vocab.list_glue:
            j += 1
            continue
        if items and (is_expert_noun(token) or token.lower_ in vocab.list_nouns):  # "... and a colleague from"
            j += 1
            continue
        if token.text == "(" and items:
            close = _close_bracket(doc, j, end)
            if close is not None:
                j = close + 1
                continue
        break
    return items, j


def _agency_of_country(doc: Doc, agency: Span, end: int) -> Span | None:
    """The country in "AGENCY of/in COUNTRY": an acronym the gazetteer knows for one country's
    agency (INPS, CNSS...) names another country's institution when that country is stated."""
    k = agency.end
    if k + 1 >= end or doc[k].lower_ not in roles().of_country:
        return None
    k += 1 + (doc[k + 1].lower_ == "the")
    ent = ent_at(doc, k) if k < end else None
    return ent if ent is not None and ent.label_ == "COUNTRY" else None
