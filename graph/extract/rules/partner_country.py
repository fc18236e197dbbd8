"""Evidence of the partner country: every country, demonym or place that no other role took,
weighted by how it stands ("<institution> of Peru" and "Montenegro's Centre" weigh more than a
city; the partner line most). Countries that are only mentioned ("inspired by the Danish model")
become ``mention`` findings of weight 0. The action's partner country is decided from these
weights in :mod:`graph.extract.facts`.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from graph.extract.doc_index import ent_at, positions, sentence_of
from graph.extract.findings import Finding
from graph.extract.gazetteer import load_gazetteer, load_towns
from graph.extract.rules.lists import followed_by_language_word
from graph.extract.rules.vocabulary import roles
from graph.read.apostrophes import is_possessive
from graph.vocab import load_layout

CANDIDATE_LABELS = ("COUNTRY", "DEMONYM", "PLACE")


def _donor_or_office(doc: Doc, ent: Span) -> bool:
    """A donor's country next to its agency ("the Australian DFAT", "Korea's KOICA"), or the seat
    of a regional office or body ("the ILO Regional Office for Arab States in Beirut")."""
    vocab = roles()
    gazetteer = load_gazetteer()
    after = ent.end + (ent.end < len(doc) and is_possessive(doc[ent.end].text))
    following = ent_at(doc, after) if after < len(doc) else None
    if following is not None and following.label_ == "ORG" and following.ent_id_ in gazetteer.donor_countries:
        return True
    start = max(ent.sent.start, ent.start - vocab.office_window)
    window = doc[start : ent.start]
    # the office's noun near the place, its organisation anywhere before it in the sentence ("the ILO
    # Decent Work Team and Office for the Caribbean, based in Port of Spain")
    if not any(t.lower_ in vocab.office_nouns for t in window) or not any(
        t.ent_type_ == "ORG" for t in doc[ent.sent.start : ent.start]
    ):
        return False
    text = window.text.lower()
    return any(word in text for word in vocab.regional_words)


def _called_donor(doc: Doc, ent: Span) -> bool:
    """ "New Zealand's Ministry of Foreign Affairs and Trade (MFAT), the ministry's main donor, ...":
    the first aside after the country (within a few words, in its sentence) calls it a donor."""
    vocab = roles()
    end = min(ent.sent.end, ent.end + vocab.donor_window)
    comma = next((k for k in range(ent.end, end) if doc[k].text in (",", ";", ".")), None)
    if comma is None or doc[comma].text != "," or comma + 1 >= ent.sent.end:
        return False
    if doc[comma + 1].lower_ not in vocab.donor_definers:
        return False
    for k in range(comma + 2, min(ent.sent.end, comma + 8)):
        if doc[k].text in (",", ";", ".", "(", ")"):
            break
        if doc[k].lower_ in vocab.donor_nouns:
            return True
    return False


def is_mention_only(doc: Doc, ent: Span) -> bool:
    """A country named as a model, an example or a comparison, a destination of migrants, a donor
    or the seat of a regional office, in the same clause."""
    vocab = roles()
    if _donor_or_office(doc, ent) or _called_donor(doc, ent):
        return True
    start = max(ent.sent.start, ent.start - 5)
    for k in range(ent.start - 1, start - 1, -1):  # the cue must stand in the same clause
        if doc[k].text in (";", ":", ".", "!", "?"):
            start = k + 1
            break
    before = doc[start : ent.start].text.lower()
    after = doc[ent.end : min(ent.sent.end, ent.end + 2)]
    return any(cue in before for cue in vocab.mention_before) or any(t.lower_ in vocab.mention_after for t in after)


def _rule_and_weight(doc: Doc, ent: Span, field: str) -> tuple[str, float]:
    vocab = roles()
    nouns = load_layout().partner_nouns
    prev = doc[ent.start - 1].lower_ if ent.start > 0 else ""
    prev2 = doc[ent.start - 2].lower_ if ent.start > 1 else ""
    before = doc[max(ent.sent.start, ent.start - 10) : ent.start]
    window = [t.lower_ for t in before]
    acronym = any(t.is_upper and t.is_alpha and len(t) > 1 for t in before)  # "the INPS of Cabo Verde"
    nxt = doc[ent.end] if ent.end < len(doc) else None
    after = [t.lower_ for t in doc[ent.end : min(len(doc), ent.end + 5)]]
    if field == "partner":
        return "partner-line-" + ent.label_.lower(), 5.0 if ent.label_ != "DEMONYM" else 4.0
    if (
        ent.label_ == "COUNTRY"
        and (prev == "of" or (prev == "the" and prev2 == "of"))
        and (acronym or any(w in nouns for w in window))
    ):
        return "institution-of-country", 4.0  # "the Ministry of Labour of Peru", "the INPS of Cabo Verde"
    if ent.label_ == "COUNTRY" and prev == "in" and any(w in nouns for w in window[-6:]):
        return "institution-in-country", 3.5
    if ent.label_ == "PLACE" and prev == "of" and any(w in vocab.settlement_nouns for w in window[-3:]):
        return "settlement-of-place", 3.0  # "the Municipality of Podgorica" (a place that names one country)
    if ent.label_ in ("COUNTRY", "PLACE") and nxt is not None and is_possessive(nxt.text):
        # "Montenegro's Center for Social Work" (4); "Singapore's demerit point system" (a mention)
        owner = doc[ent.end + 1] if ent.end + 1 < len(doc) else None
        institution = owner is not None and (owner.is_title or owner.is_upper)
        return ("country-possessive", 4.0) if institution else ("country-possessive-mention", 1.0)
    if ent.label_ == "DEMONYM" and any(w in nouns for w in after):
        return "demonym-institution", 3.0
    if ent.label_ in ("COUNTRY", "PLACE") and prev in vocab.place_prepositions:
        return f"{ent.label_.lower()}-after-preposition", 1.0
    if ent.label_ == "COUNTRY":
        return "country-mention", 1.0
    if ent.label_ == "PLACE":
        return "place-mention", 1.0
    return "demonym-mention", 0.5


def partner_candidates(doc: Doc, used: set[int], field: str, out: list[Finding]) -> None:
    """Append a candidate (or a mention) for every country, demonym or place not in ``used``."""
    for ent in doc.ents:
        if ent.label_ == "SHARED_PLACE" and ent.start not in used:
            # "in Santiago": supports a country the text gives otherwise (CHL or PHL), decides nothing alone
            out.append(
                Finding("shared_place", ent.ent_id_, "shared-place", ent.start_char, ent.end_char, sentence_of(ent))
            )
            continue
        if ent.label_ not in CANDIDATE_LABELS or ent.start in used:
            continue
        if ent.label_ == "DEMONYM" and followed_by_language_word(doc, ent):
            continue
        sentence = sentence_of(ent)
        if is_mention_only(doc, ent):
            out.append(Finding("mention", ent.ent_id_, "mention-only", ent.start_char, ent.end_char, sentence, 0.0))
            continue
        rule, weight = _rule_and_weight(doc, ent, field)
        out.append(
            Finding("partner_country_candidate", ent.ent_id_, rule, ent.start_char, ent.end_char, sentence, weight)
        )


def _town_at(doc: Doc, start: int, step: int) -> tuple[str, int, int] | None:
    """The longest run of up to four capitalised words from ``start`` (forwards or backwards) that
    names a town of one country: (alpha-3, first token, end token)."""
    towns = load_towns()
    best = None
    for length in range(1, 5):
        first, end = (start, start + length) if step > 0 else (start - length + 1, start + 1)
        if first < 0 or end > len(doc):
            break
        words = doc[first:end]
        if not all(t.is_title or (t.is_lower and t.lower_ in ("de", "del", "la", "el", "do", "da")) for t in words):
            break
        if any(ent_at(doc, t.i) is not None for t in words):
            break
        alpha3 = towns.get(words.text)
        if alpha3 is not None and words[0].is_title and words[-1].is_title:
            best = (alpha3, first, end)
    return best


def town_candidates(doc: Doc, used: set[int], field: str, out: list[Finding]) -> None:
    """ "the Municipality of La Estrella", "Girardota Municipality": a town the gazetteer's cities
    leave out, read only after (or before) a settlement noun, when its name is one country's."""
    for position in positions(doc, roles().settlement_nouns):
        token = doc[position]
        found = None
        k = token.i + 1
        if k < len(doc) and doc[k].lower_ == "of":
            k += 1 + (k + 1 < len(doc) and doc[k + 1].lower_ == "the")
            found = _town_at(doc, k, 1) if k < len(doc) else None
        if found is None and token.is_title and token.i > 0:
            found = _town_at(doc, token.i - 1, -1)
        if found is None or found[1] in used:
            continue
        alpha3, first, end = found
        span = doc[first:end]
        rule, weight = ("partner-line-place", 5.0) if field == "partner" else ("settlement-of-town", 3.0)
        out.append(
            Finding(
                "partner_country_candidate", alpha3, rule, span.start_char, span.end_char, sentence_of(span), weight
            )
        )
    _town_lists(doc, used, field, out)


def _town_lists(doc: Doc, used: set[int], field: str, out: list[Finding]) -> None:
    """ "hospitals in Siem Reap and Battambang": two towns or more of one country listed after a
    place preposition are weak evidence of that country (one town alone decides nothing: many
    town names are words or names of other things too)."""
    if field == "partner":
        return
    for position in positions(doc, roles().place_prepositions):
        towns: list[tuple[str, int, int]] = []
        k = position + 1
        while k < len(doc):
            found = _town_at(doc, k, 1)
            if found is None or found[1] in used:
                break
            towns.append(found)
            k = found[2]
            while k < len(doc) and doc[k].lower_ in (",", "and"):
                k += 1
        if len(towns) < 2 or len({alpha3 for alpha3, _, _ in towns}) > 1:
            continue
        for alpha3, first, end in towns:
            span = doc[first:end]
            out.append(
                Finding(
                    "partner_country_candidate", alpha3, "towns-after-preposition", span.start_char, span.end_char,
                    sentence_of(span), 1.0,
                )
            )
