"""The words the rule components read, from ``ontology/reference/roles.toml``, and the expert
nouns of a doc (the rules of several families start from them)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from spacy.tokens import Doc, Token

from graph.extract.doc_index import lowers
from graph.vocab import ontology_dir


@dataclass(frozen=True)
class Roles:
    """``roles.toml``, section by section (see the file for what each list is for)."""

    expert_nouns: frozenset[str]
    expert_compounds: frozenset[str]
    weak_expert_nouns: frozenset[str]
    giver_nouns: frozenset[str]
    facility_cues: tuple[str, ...]
    receiving_after: frozenset[str]
    passive_auxiliaries: frozenset[str]
    perfect_auxiliaries: frozenset[str]
    passive_receiving: frozenset[str]
    receiving_gap: frozenset[str]
    agent_words: frozenset[str]
    roster_joiners: frozenset[str]
    roster_window: int
    list_nouns: frozenset[str]
    trainee_cues: frozenset[str]
    trainee_phrases: tuple[str, ...]
    gap_words: frozenset[str]
    by_words: frozenset[str]
    from_words: frozenset[str]
    list_openers: frozenset[str]
    list_phrases: tuple[str, ...]
    max_modifiers: int
    partner_peers: frozenset[str]
    generic_name_words: frozenset[str]
    delegation_nouns: frozenset[str]
    destination_words: frozenset[str]
    study_nouns: frozenset[str]
    study_modifiers: frozenset[str]
    visit_verbs: frozenset[str]
    stay_verbs: frozenset[str]
    stay_nouns: frozenset[str]
    visitor_exclusions: frozenset[str]
    clause_openers: frozenset[str]
    mention_before: tuple[str, ...]
    mention_after: frozenset[str]
    donor_nouns: frozenset[str]
    donor_definers: frozenset[str]
    donor_window: int
    office_nouns: frozenset[str]
    regional_words: tuple[str, ...]
    office_window: int
    place_prepositions: frozenset[str]
    settlement_nouns: frozenset[str]
    code_relations: tuple[tuple[str, tuple[str, ...]], ...]
    own_code: tuple[str, ...]
    own_subjects: tuple[str, ...]
    own_nouns: tuple[str, ...]
    own_means: tuple[str, ...]
    action_word: str
    stop: frozenset[str]
    list_glue: frozenset[str]
    aside_resumers: frozenset[str]
    determiners: frozenset[str]
    language_words: frozenset[str]
    name_breaks: frozenset[str]
    name_joiners: frozenset[str]
    of_country: frozenset[str]
    organisation_roles: tuple[tuple[str, tuple[str, ...]], ...]


@cache
def roles() -> Roles:
    """Read ``ontology/reference/roles.toml`` (once per process)."""
    data = tomllib.loads((ontology_dir() / "reference" / "roles.toml").read_text(encoding="utf-8"))
    experts, visits, mentions, codes = data["experts"], data["study_visits"], data["mentions"], data["codes"]
    clauses = data["clauses"]
    return Roles(
        expert_nouns=frozenset(experts["nouns"]),
        expert_compounds=frozenset(experts["compounds"]),
        weak_expert_nouns=frozenset(experts["weak_nouns"]),
        giver_nouns=frozenset(experts["giver_nouns"]),
        facility_cues=tuple(experts["facility_cues"]),
        receiving_after=frozenset(experts["receiving_after"]),
        passive_auxiliaries=frozenset(experts["passive_auxiliaries"]),
        perfect_auxiliaries=frozenset(experts["perfect_auxiliaries"]),
        passive_receiving=frozenset(experts["passive_receiving"]),
        receiving_gap=frozenset(experts["receiving_gap"]),
        agent_words=frozenset(experts["agent_words"]),
        roster_joiners=frozenset(experts["roster_joiners"]),
        roster_window=int(experts["roster_window"]),
        list_nouns=frozenset(experts["list_nouns"]),
        trainee_cues=frozenset(experts["trainee_cues"]),
        trainee_phrases=tuple(experts["trainee_phrases"]),
        gap_words=frozenset(experts["gap_words"]),
        by_words=frozenset(experts["by_words"]),
        from_words=frozenset(experts["from_words"]),
        list_openers=frozenset(experts["list_openers"]),
        list_phrases=tuple(experts["list_phrases"]),
        max_modifiers=int(experts["max_modifiers"]),
        partner_peers=frozenset(experts["partner_peers"]),
        generic_name_words=frozenset(data["institutions"]["generic_name_words"]),
        delegation_nouns=frozenset(visits["delegation_nouns"]),
        destination_words=frozenset(visits["destination_words"]),
        study_nouns=frozenset(visits["nouns"]),
        study_modifiers=frozenset(visits["modifiers"]),
        visit_verbs=frozenset(visits["verbs"]),
        stay_verbs=frozenset(visits["stay_verbs"]),
        stay_nouns=frozenset(visits["stay_nouns"]),
        visitor_exclusions=frozenset(visits["visitor_exclusions"]),
        clause_openers=frozenset(visits["clause_openers"]),
        mention_before=tuple(mentions["before"]),
        mention_after=frozenset(mentions["after"]),
        donor_nouns=frozenset(mentions["donor_nouns"]),
        donor_definers=frozenset(mentions["donor_definers"]),
        donor_window=int(mentions["donor_window"]),
        office_nouns=frozenset(mentions["office_nouns"]),
        regional_words=tuple(mentions["regional_words"]),
        office_window=int(mentions["office_window"]),
        place_prepositions=frozenset(data["partner"]["place_prepositions"]),
        settlement_nouns=frozenset(data["partner"]["settlement_nouns"]),
        code_relations=tuple((name, tuple(codes[name])) for name in ("follow-up", "builds-on", "parallel-to")),
        own_code=tuple(codes["own"]),
        own_subjects=tuple(codes["own_subjects"]),
        own_nouns=tuple(codes["own_nouns"]),
        own_means=tuple(codes["own_means"]),
        action_word=codes["action_word"],
        stop=frozenset(clauses["stop"]),
        list_glue=frozenset(clauses["list_glue"]),
        aside_resumers=frozenset(clauses["aside_resumers"]),
        determiners=frozenset(clauses["determiners"]),
        language_words=frozenset(clauses["language_words"]),
        name_breaks=frozenset(clauses["name_breaks"]),
        name_joiners=frozenset(clauses["name_joiners"]),
        of_country=frozenset(clauses["of_country"]),
        organisation_roles=tuple((name, tuple(cues)) for name, cues in data["organisation_roles"].items()),
    )


def _is_expert_word(words: list[str], i: int) -> bool:
    vocab = roles()
    return words[i] in vocab.expert_nouns or (i > 0 and f"{words[i - 1]} {words[i]}" in vocab.expert_compounds)


def is_expert_noun(token: Token) -> bool:
    """An expert noun ("experts", "peer", "specialist") or compound ("civil servants")."""
    return _is_expert_word(lowers(token.doc), token.i)


def expert_positions(doc: Doc) -> list[int]:
    """Positions of the expert nouns of the doc, found once per doc."""
    cached = doc.user_data.get("socx_experts")
    if cached is None:
        words = lowers(doc)
        cached = doc.user_data["socx_experts"] = [i for i in range(len(words)) if _is_expert_word(words, i)]
    return cached
