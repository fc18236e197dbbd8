"""Expert countries: the countries whose experts, peers or expertise an action mobilised.

"experts from France and Spain", "experts mobilised by SOCIEUX+ from Spain", "an expert of the
Portuguese Social Security Institute", "experts mobilized by the German Association of Accident
Insurance", "Spanish experts", "Belgian, Romanian and Swedish expertise", "experts with different
profiles (France, Morocco, the Netherlands)". "their Tunisian peers" are the partner's own staff:
evidence of the partner country instead.

The people who receive are told from those who give, in active and passive sentences: "trained
30 counsellors from La Paz", "20 inspectors from Ghana were trained by experts from Sweden" (Sweden
only), "Managers from Kenya attended". A finding's weight says how surely its noun names givers:
1 for "experts", "consultants"...; 0.5 for nouns that may name the partner's own staff
("inspectors", "specialists", "peers"): :mod:`graph.extract.facts` drops such a country when it is
the partner's and lets it be the partner.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from graph.extract.doc_index import ent_at, ent_ending_at, lowers, sentence_of
from graph.extract.findings import Finding
from graph.extract.gazetteer import load_gazetteer
from graph.extract.rules.lists import followed_by_language_word, read_country_list
from graph.extract.rules.vocabulary import expert_positions, roles
from graph.read.apostrophes import is_possessive

RECEIVERS_WEIGHT = 3.0
RULES = {
    "COUNTRY": "expert-from-country",
    "PLACE": "expert-from-place",
    "EXPERT_AGENCY": "expert-from-agency",
    "DEMONYM": "expert-from-demonym-institution",
}


def _is_trainee(doc: Doc, i: int) -> bool:
    """ "trained 30 counsellors from La Paz", "the training of 20 inspectors": the people of the
    noun at ``i`` receive (a trainee cue just before it); "trained by experts from Sweden" give
    (the cue is followed by "by")."""
    vocab = roles()
    start = max(doc[i].sent.start, i - 3)
    for k in range(start, i):
        if doc[k].lower_ in vocab.trainee_cues and not (k + 1 < i and doc[k + 1].lower_ in vocab.agent_words):
            return True
    before = doc[start:i].text.lower()
    return any(phrase in before and f"{phrase} by" not in before for phrase in vocab.trainee_phrases)


def _receive_after(doc: Doc, end: int, sent_end: int, giver: bool) -> bool:
    """ "Managers from Kenya attended the workshop", "20 inspectors from Ghana were trained": the
    people named before ``end`` receive, by the verb that follows them ("attended" and the like do
    not turn experts into trainees: "experts from Spain visited the offices")."""
    vocab = roles()
    j = end
    while j < sent_end and j - end < 4 and doc[j].lower_ in vocab.receiving_gap:
        j += 1
    if j >= sent_end:
        return False
    word = doc[j].lower_
    if word in vocab.perfect_auxiliaries and j + 1 < sent_end and doc[j + 1].lower_ == "been":
        j, word = j + 1, "been"  # "have been trained"; "have accompanied" is no passive
    if word in vocab.passive_auxiliaries:
        k = j + 1
        while k < sent_end and k - j <= 2 and doc[k].lower_ in vocab.receiving_gap:
            k += 1
        return k < sent_end and doc[k].lower_ in vocab.passive_receiving and not (
            k + 1 < sent_end and doc[k + 1].lower_ in ("as", "to")  # "were trained as trainers", "selected to"
        )
    return not giver and word in vocab.receiving_after


def _receivers(out: list[Finding], items: list[tuple[str, Span, str]], used: set[int]) -> None:
    """The country of people who receive ("20 inspectors from Ghana were trained", "trained 30
    counsellors from La Paz"): the partner's own people, so evidence of the partner country (as
    strong as a demonym before an institution's name)."""
    for alpha3, ent, how in items:
        if how in ("COUNTRY", "DEMONYM", "PLACE"):
            out.append(
                Finding("partner_country_candidate", alpha3, "receivers-of-country", ent.start_char, ent.end_char,
                        sentence_of(ent), RECEIVERS_WEIGHT)
            )
            used.update(range(ent.start, ent.end))


def _staff_candidate(out: list[Finding], alpha3: str, ent: Span, weight: float) -> None:
    """People whose noun may name the partner's own staff, named as known people ("Specialists of
    Peru's Ministry", "the Kenyan peers"; not "a Tunisian peer", "peers from Tunisia"), are also
    weak evidence that their country is the partner's."""
    if weight < 1:
        out.append(
            Finding(
                "partner_country_candidate", alpha3, "staff-of-country", ent.start_char, ent.end_char, sentence_of(ent)
            )
        )


def _indefinite(doc: Doc, i: int) -> bool:
    """ "a labour auditor", "two inspectors": people counted or new to the text, not the partner's
    known staff."""
    for k in range(i - 1, max(doc[i].sent.start, i - 4) - 1, -1):
        word = doc[k]
        if word.lower_ in ("a", "an", "one") or word.like_num:
            return True
        if not (word.is_alpha and word.is_lower):
            break
    return False


def noun_weight(token: Token) -> float:
    """1 for a noun that names givers of expertise ("experts", "EExperts" as corrected), 0.5 for
    one that may name the partner's own staff as well ("inspectors", "specialists", "peers", "team")."""
    return 1.0 if lowers(token.doc)[token.i] in roles().giver_nouns else 0.5


def _origin_preposition(doc: Doc, i: int, sent_end: int) -> tuple[str | None, int]:
    """After the expert noun at ``i``, skip the gap words ("mobilised by SOCIEUX+") up to "from" or
    "of", or to "by" before a demonym, a national agency or a country's institution."""
    vocab = roles()
    j = i + 1
    while j < sent_end and j - i <= 7:
        lower = doc[j].lower_
        if lower in vocab.by_words:
            k = j + 1 + (j + 1 < sent_end and doc[j + 1].lower_ == "the")
            ent = ent_at(doc, k) if k < sent_end else None
            possessive = ent is not None and ent.end < sent_end and is_possessive(doc[ent.end].text)
            if ent is not None and (
                ent.label_ in ("DEMONYM", "EXPERT_AGENCY") or (ent.label_ == "COUNTRY" and possessive)
            ):
                return "by", j
        elif lower in vocab.from_words:
            return lower, j
        elif lower not in vocab.gap_words:
            break
        j += 1
    return None, j


def _introduced_list(doc: Doc, j: int, sent_end: int) -> list[tuple[str, Span, str]]:
    """ "from public employment services of France", "from multiple EU countries — including Slovenia":
    a list a few words after "from", opened by "of", "including", a bracket..."""
    vocab = roles()
    k = j + 1
    while k < sent_end and k - j <= 9 and ent_at(doc, k) is None and doc[k].lower_ not in (";", "."):
        k += 1
    cue = doc[j + 1 : k].text.lower()
    if k < sent_end and (
        (k - 1 > j and doc[k - 1].lower_ in vocab.list_openers) or any(p in cue for p in vocab.list_phrases)
    ):
        return read_country_list(doc, k, sent_end)[0]
    if k < sent_end and k - 2 > j and doc[k - 1].lower_ == "the" and doc[k - 2].lower_ in vocab.list_openers:
        return read_country_list(doc, k - 1, sent_end)[0]  # "from the secretariat of the Slovak council"
    return []


def _further_origins(doc: Doc, j: int, sent_end: int, seen: set[int]) -> list[tuple[str, Span, str]]:
    """The origins a list of experts goes on with after its first "from" phrase, whatever that
    phrase named: "experts from Quality and Qualifications Ireland and from Finland's National
    Agency", "two experts from the ministry and one from the Employment Service of Slovenia"."""
    found: list[tuple[str, Span, str]] = []
    for k in range(j + 2, min(sent_end, j + 20)):
        if doc[k].lower_ in (";", ".") or doc[k].lower_ in roles().receiving_after:
            break
        if doc[k].lower_ != "from":
            continue
        before = doc[k - 1].lower_
        if not (before == "and" or (before in ("one", "another") and doc[k - 2].lower_ == "and")):
            continue
        items = read_country_list(doc, k + 1, sent_end)[0] or _introduced_list(doc, k, sent_end)
        found += [item for item in items if item[1].start not in seen]
    return found


def expert_from(doc: Doc, out: list[Finding]) -> set[int]:
    """ "experts from France and Spain", "EU experts - from Croatia and France -", "experts from
    public employment services of France, Spain, and Sweden", "expertise from EU countries,
    including Slovenia". Returns the token positions used."""
    used: set[int] = set()
    gazetteer = load_gazetteer()
    for position in expert_positions(doc):
        token = doc[position]
        trainee = _is_trainee(doc, position)
        sent_end = token.sent.end
        preposition, j = _origin_preposition(doc, position, sent_end)
        if preposition is None:
            continue
        items, after = read_country_list(doc, j + 1, sent_end)
        if not items and preposition == "from":
            items = _introduced_list(doc, j, sent_end)
            after = max((ent.end for _, ent, _ in items), default=after)
        if preposition == "from":
            more = _further_origins(doc, j, sent_end, {ent.start for _, ent, _ in items})
            items += more
            after = max([after, *(ent.end for _, ent, _ in more)])
        weight = noun_weight(token)
        if trainee or (items and _receive_after(doc, after, sent_end, weight >= 1)):
            if preposition == "from":  # "20 inspectors from Ghana were trained": they receive
                _receivers(out, items, used)
            continue
        for alpha3, ent, how in items:
            if preposition == "of" and how == "COUNTRY" and token.lower_ == "expertise":
                continue  # "the expertise of Peru in ..." speaks of the partner; "an expert of Estonia" does not
            if (preposition == "by" and how == "PLACE") or how == "SHARED_PLACE":
                continue
            if how == "PLACE" and not gazetteer.countries[alpha3].eu_member:
                continue  # "counsellors from La Paz": a place names the partner's side, not an expert country
            out.append(
                Finding("expert_country", alpha3, RULES[how], ent.start_char, ent.end_char, sentence_of(ent), weight)
            )
            if how in ("COUNTRY", "DEMONYM") and preposition == "of" and not _indefinite(doc, position):
                _staff_candidate(out, alpha3, ent, weight)
            used.update(range(ent.start, ent.end))
    return used


def expert_roster(doc: Doc, out: list[Finding]) -> set[int]:
    """ "Teams of experts with different profiles and country origin (France, Morocco, the
    Netherlands)", "three experts (Spain, Italy)": a bracket holding nothing but countries, after
    a noun phrase that starts with an expert noun (no clause word between them)."""
    used: set[int] = set()
    vocab = roles()
    for position in expert_positions(doc):
        if _is_trainee(doc, position):
            continue
        sent_end = doc[position].sent.end
        j = position + 1
        while j < sent_end and j - position <= vocab.roster_window and doc[j].text != "(":
            word = doc[j]
            if not (word.is_alpha and word.is_lower) or (
                word.lower_ in vocab.stop and word.lower_ not in vocab.roster_joiners
            ):
                break
            j += 1
        if j >= sent_end or doc[j].text != "(":
            continue
        items, after = read_country_list(doc, j + 1, sent_end)
        if not items or after >= sent_end or doc[after].text != ")":
            continue  # the bracket holds more than countries
        weight = noun_weight(doc[position])
        for alpha3, ent, how in items:
            if how == "COUNTRY":
                out.append(
                    Finding(
                        "expert_country",
                        alpha3,
                        "expert-roster",
                        ent.start_char,
                        ent.end_char,
                        sentence_of(ent),
                        weight,
                    )
                )
                used.update(range(ent.start, ent.end))
    return used


def demonym_experts(doc: Doc, out: list[Finding]) -> set[int]:
    """ "Spanish experts", "Belgian and Dutch experts", "Finnish, French, and German experts", "a
    Slovenian and a Croatian expert", "French PES experts", "a French child protection specialist";
    "their Tunisian peers" name the partner country (weight 4)."""
    used: set[int] = set()
    vocab = roles()
    skip = vocab.stop | vocab.determiners
    for position in expert_positions(doc):
        token = doc[position]
        j = token.i - 1
        if token.i > 0 and f"{doc[token.i - 1].lower_} {token.lower_}" in vocab.expert_compounds:
            j -= 1
        sent_start = token.sent.start
        skipped = 0
        while (
            j >= sent_start
            and skipped < vocab.max_modifiers
            and ent_ending_at(doc, j) is None
            and ((doc[j].is_lower and doc[j].is_alpha and doc[j].lower_ not in skip) or doc[j].is_upper)
        ):
            skipped += 1
            j -= 1
        found: list[Span] = []
        while j >= sent_start:
            ent = ent_ending_at(doc, j)
            if (
                ent is not None
                and ent.label_ == "DEMONYM"
                and not followed_by_language_word(doc, ent)
                and ent.text in load_gazetteer().countries[ent.ent_id_].demonyms  # "Bolivians" are no modifier
            ):
                found.append(ent)
                j = ent.start - 1
                while j >= sent_start and doc[j].lower_ in vocab.determiners:
                    j -= 1
                if j >= sent_start and doc[j].lower_ in (",", "and", "&", "or"):
                    j -= 1
                    while j >= sent_start and (doc[j].lower_ in (",", "and") or doc[j].lower_ in vocab.determiners):
                        j -= 1
                    continue
            break
        if not found:
            continue
        first = min(found, key=lambda e: e.start)
        peers = first.start > 0 and doc[first.start - 1].lower_ in vocab.partner_peers
        weak = token.lower_ in vocab.weak_expert_nouns
        weight = noun_weight(token)
        if _is_trainee(doc, first.start) or _receive_after(doc, token.i + 1, token.sent.end, weight >= 1):
            _receivers(out, [(ent.ent_id_, ent, "DEMONYM") for ent in found], used)
            continue  # "trained 20 Ghanaian inspectors", "Kenyan managers attended": they receive
        for ent in found:
            sentence = sentence_of(ent)
            if peers:
                out.append(
                    Finding(
                        "partner_country_candidate",
                        ent.ent_id_,
                        "partner-peers",
                        ent.start_char,
                        ent.end_char,
                        sentence,
                        4.0,
                    )
                )
            else:
                rule = "demonym-team" if weak else "demonym-expert"
                out.append(
                    Finding("expert_country", ent.ent_id_, rule, ent.start_char, ent.end_char, sentence, weight)
                )
                if first.start > 0 and doc[first.start - 1].lower_ == "the":
                    _staff_candidate(out, ent.ent_id_, ent, weight)
            used.update(range(ent.start, ent.end))
    return used


def demonym_persons(doc: Doc, out: list[Finding], used: set[int]) -> set[int]:
    """A demonym standing for a person beside experts of the same sentence: "a Czech evaluation
    expert and a Hungarian from the National Employment Service", "an Estonian expert and an Italian
    from the pension institute". The person's weight is that of the sentence's expert noun."""
    vocab = roles()
    found: set[int] = set()
    experts = expert_positions(doc)
    for ent in doc.ents:
        if ent.label_ != "DEMONYM" or ent.start in used or ent.start == 0 or ent.end >= len(doc):
            continue
        if doc[ent.start - 1].lower_ not in ("a", "an", "one") or doc[ent.end].lower_ not in vocab.from_words:
            continue  # a person: "a Hungarian from ...", not "Hungarian experts" (read above)
        sent = ent.sent
        nouns = [doc[k] for k in experts if sent.start <= k < sent.end]
        verbs = vocab.receiving_after | vocab.passive_auxiliaries | vocab.perfect_auxiliaries
        verb = next((k for k in range(ent.end + 1, min(sent.end, ent.end + 9)) if doc[k].lower_ in verbs), ent.end)
        if not nouns or _is_trainee(doc, ent.start - 1) or _receive_after(doc, verb, sent.end, False):
            continue
        weight = max(noun_weight(token) for token in nouns)
        sentence = sentence_of(ent)
        out.append(
            Finding("expert_country", ent.ent_id_, "demonym-person", ent.start_char, ent.end_char, sentence, weight)
        )
        found.update(range(ent.start, ent.end))
    return found


def announced_origins(doc: Doc, out: list[Finding], used: set[int]) -> set[int]:
    """Experts counted, then given one by one after a colon: "Two specialists reviewed the
    standards: one from a car-making region in Slovakia, the other from a school network in
    Germany" (the first country of each "one from" / "the other from" phrase)."""
    found: set[int] = set()
    for position in expert_positions(doc):
        token = doc[position]
        sent = token.sent
        colon = next((k for k in range(position + 1, sent.end) if doc[k].text in (":", "—", "–")), None)
        if colon is None or _is_trainee(doc, position) or position == 0 or not doc[position - 1].like_num:
            continue  # the experts must be counted ("Two specialists"), the count then given out
        if any(doc[k].like_num for k in range(position + 1, colon)):
            continue  # "The experts trained two groups: one from Kenya": the groups are the others'

        weight = noun_weight(token)
        for k in range(colon + 1, sent.end):
            if doc[k].lower_ != "from" or doc[k - 1].lower_ not in ("one", "other", "others", "another"):
                continue
            end = next((j for j in range(k + 1, sent.end) if doc[j].text in (",", ";", ".")), sent.end)
            ent = next(
                (e for e in doc.ents if k < e.start < end and e.label_ in ("COUNTRY", "DEMONYM")), None
            )
            if ent is None or ent.start in used or ent.start in found:
                continue
            out.append(
                Finding(
                    "expert_country", ent.ent_id_, "expert-announced", ent.start_char, ent.end_char,
                    sentence_of(ent), weight,
                )
            )
            found.update(range(ent.start, ent.end))
    return found
