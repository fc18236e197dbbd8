"""Study-visit countries: the hosts of study visits and delegation visits.

"a study visit to Germany", "study tour in Spain and Italy", "a study-visit to different peer
institutions in Romania", "a delegation from Kazakhstan visited Finland" (Finland only), "An
ISSSTE delegation travelled to Madrid", the partner's people visiting an EU member state with no
delegation noun ("five of the directors later visited labour offices in Bratislava"),
"an exchange ... organised in Ljubljana for a delegation"
(an EU host).
"""

from __future__ import annotations

from spacy.tokens import Doc, Span

from graph.extract.doc_index import ent_at, positions, sentence_of
from graph.extract.findings import Finding
from graph.extract.gazetteer import load_gazetteer
from graph.extract.rules.lists import read_country_list
from graph.extract.rules.vocabulary import roles

DESTINATION_LABELS = ("COUNTRY", "PLACE", "SHARED_PLACE", "DEMONYM", "EXPERT_AGENCY")


def _host(alpha3: str, how: str) -> tuple[str, str] | None:
    """The host country of an item; a place several countries share ("Valencia": Spain, Venezuela,
    the United States) is the one EU member state among them, the facility's hosts, or none."""
    if how != "SHARED_PLACE":
        return alpha3, how
    countries = load_gazetteer().countries
    members = [code for code in alpha3.split("|") if countries[code].eu_member]
    return (members[0], "PLACE") if len(members) == 1 else None


def _destination(doc: Doc, start: int, end: int, window: int = 12) -> list[tuple[str, Span, str]]:
    """The countries a visit went to: the first country, place or demonym after "to", "in" or "at"."""
    words = roles().destination_words
    seen_preposition = False
    for j in range(start, min(end, start + window)):
        token = doc[j]
        if token.lower_ in (";", "."):
            break
        if token.lower_ in words:
            seen_preposition = True
            continue
        ent = ent_at(doc, j)
        if ent is not None and ent.label_ in DESTINATION_LABELS and seen_preposition:
            return read_country_list(doc, j, end)[0]
    return []


def _has_delegation(sentence: Span) -> bool:
    nouns = roles().delegation_nouns
    return any(t.lower_ in nouns and t.ent_type_ != "ORG" for t in sentence)


def _visitors_clause(doc: Doc, verb: int) -> Span:
    """The words before a verb in its clause: back to the sentence's start, a ";" or a comma that
    opens a new clause (", and", ", then", ", where"...)."""
    vocab = roles()
    sentence_start = doc[verb].sent.start
    j = verb - 1
    while j >= sentence_start:
        token = doc[j]
        if token.text == ";" or (token.text == "," and j + 1 < verb and doc[j + 1].lower_ in vocab.clause_openers):
            break
        j -= 1
    return doc[j + 1 : verb]


def _partner_visit(doc: Doc, verb: int) -> list[tuple[str, Span, str]]:
    """The EU hosts a visit of the partner's people went to: "five of the directors later visited
    labour offices in Bratislava", "three doctors then spent a week with the pension insurance in
    Vienna"; nothing when the clause's subject gives expertise ("experts from France visited...")."""
    vocab = roles()
    token = doc[verb]
    end = token.sent.end
    if token.lower_ in vocab.stay_verbs:
        if not any(t.lower_ in vocab.stay_nouns for t in doc[verb + 1 : min(end, verb + 4)]):
            return []
        items = _destination(doc, verb, end)
    else:
        items = read_country_list(doc, verb + 1, end)[0] or _destination(doc, verb, end)
    clause = _visitors_clause(doc, verb)
    if any(t.lower_ in vocab.giver_nouns or t.lower_ in vocab.visitor_exclusions for t in clause):
        return []
    countries = load_gazetteer().countries
    return [
        item
        for item in items
        if (host := _host(item[0], item[2])) is not None and item[2] != "EXPERT_AGENCY" and countries[host[0]].eu_member
    ]


def study_visits(doc: Doc, out: list[Finding]) -> set[int]:
    """Append a finding per study-visit host; return the token positions used."""
    used: set[int] = set()
    vocab = roles()
    gazetteer = load_gazetteer()
    for position in positions(doc, vocab.study_nouns | vocab.visit_verbs | vocab.delegation_nouns | vocab.stay_verbs):
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
        elif lower in vocab.visit_verbs or lower in vocab.stay_verbs:
            items = _partner_visit(doc, token.i)
        elif lower in vocab.delegation_nouns and token.ent_type_ != "ORG":
            # "an exchange ... was organised in Ljubljana for a delegation": only towards an EU host
            items = [
                item
                for item in _destination(doc, token.sent.start, token.sent.end, window=60)
                if (host := _host(item[0], item[2])) is not None and gazetteer.countries[host[0]].eu_member
            ]
        else:
            continue
        for item_code, ent, item_how in items:
            host = _host(item_code, item_how)
            if ent.start in used or host is None:
                continue
            alpha3, how = host
            how = "agency" if how == "EXPERT_AGENCY" else how.lower()
            out.append(
                Finding(
                    "study_visit_country", alpha3, f"study-visit-{how}", ent.start_char, ent.end_char, sentence_of(ent)
                )
            )
            used.update(range(ent.start, ent.end))
    return used
