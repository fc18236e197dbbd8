"""Which partner institutions are one: the resolution of the partner lines of every action into
institutions, in one place.

The reader gives one mention per distinct partner line (:class:`graph.read.merge.Institution`:
its English name, original-language name and acronym as the page writes them). Here mentions
become institutions, never across countries:

- an institution's country carries over to its actions that do not state it, when the mentions
  share an original-language name, an English name and acronym, or an English name that is not
  generic (a generic name such as "Ministry of Labour" is no evidence: many countries have one);
- mentions in one country are one institution when their names are the same once spelling
  variants are folded ("Labor" / "Labour", "of Peru" dropped), when they share an acronym
  ("National Health Insurance Institute (INAM)" and "Institut National d'Assurance Maladie
  (INAM)"), or when one's name is the other's original-language name;
- every name, original-language name, acronym and partner line is kept as a label, and every
  merge that the names alone would not make is reported with its reason.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache, lru_cache

from graph.extract.facts import ActionFacts, Fact
from graph.extract.gazetteer import load_gazetteer
from graph.extract.rules.vocabulary import roles
from graph.read.apostrophes import strip_apostrophes
from graph.read.merge import Action, Institution, normalise
from graph.read.partner import PartnerName
from graph.read.records import Anomaly
from graph.vocab import load_layout

_SPELLING = (
    (r"\blabor\b", "labour"),
    (r"\borganiz", "organis"),
    (r"\bcenter\b", "centre"),
    (r"&", " and "),
    (r"\bprogram\b", "programme"),
    (r"^the\s+", ""),
    (r"[^\w\s]", " "),
)


# partner-country rules whose evidence names the institution with its country ("the Ministry of
# Labour of Peru", the partner line itself)
NAMED_WITH_COUNTRY = frozenset(
    {"institution-of-country", "institution-in-country", "country-possessive", "partner-line"}
)


@lru_cache(maxsize=1 << 16)
def institution_name_key(name: str, country: str | None) -> str:
    """The name an institution is known by, spelling variants folded: "Ministry of Labor" = "Ministry of Labour"."""
    key = strip_apostrophes(normalise(name))
    for pattern, replacement in _SPELLING:
        key = re.sub(pattern, replacement, key)
    key = " ".join(key.split())
    if country:
        gazetteer = load_gazetteer()
        for label in sorted(gazetteer.countries[country].names, key=len, reverse=True):
            label_key = " ".join(re.sub(r"[^\w\s]", " ", normalise(label)).split())
            for suffix in (f" of the republic of {label_key}", f" of {label_key}", f" of the {label_key}"):
                if key.endswith(suffix):
                    return key[: -len(suffix)]
    return key


def _acronym_key(name: PartnerName) -> str:
    return normalise(name.acronym or "").replace(".", "")


@lru_cache(maxsize=1 << 16)
def is_generic_name(name: str) -> bool:
    """A name that many countries' institutions bear ("Ministry of Labour and Social Affairs"):
    only institution nouns and the generic words of ``roles.toml``."""
    vocab = roles()
    nouns = load_layout().partner_nouns
    words = re.findall(r"\w+", normalise(name))
    return all(w in nouns or w in vocab.generic_name_words for w in words)


@cache
def _organisation_names() -> frozenset[str]:
    return frozenset(normalise(n) for names in load_gazetteer().organisations.values() for n in names)


def _regional(institution: Institution) -> bool:
    """An international or regional body as partner (its name is an organisation's name)."""
    names = _organisation_names()
    return normalise(institution.name.name) in names or normalise(institution.name.acronym or "") in names


@dataclass
class ResolvedInstitution:
    """A partner institution after merging: all the names it goes by, and its country."""

    key: str
    country: str | None
    names: list[PartnerName] = field(default_factory=list)
    variants: list[str] = field(default_factory=list)

    @property
    def name(self) -> PartnerName:
        counts: dict[str, int] = defaultdict(int)
        for n in self.names:
            counts[n.name] += 1
        best = max(counts, key=lambda n: (counts[n], -[x.name for x in self.names].index(n)))
        return next(n for n in self.names if n.name == best)


def carry_countries(
    actions: list[Action], facts: dict[str, ActionFacts], no_country: frozenset[str] = frozenset()
) -> None:
    """Give an action that states no partner country the country of its institution in other
    actions: matched first by original-language name, then by English name with acronym, then by an
    English name that is not generic ("National System for Integral Family Development"); a
    generic name ("Ministry of Labour") only where another action's text names the institution with
    its country ("the Ministry of Labour of Montenegro"); never when the institutions so matched
    lie in several countries; never to the actions of ``no_country`` (keys of actions a correction
    left without one). A country a correction set carries over with that correction as its evidence."""
    keys = (
        (lambda i: normalise(i.name.original_name or ""), False),
        (lambda i: f"{institution_name_key(i.name.name, None)}|{_acronym_key(i.name)}" * bool(i.name.acronym), False),
        (lambda i: "" if is_generic_name(i.name.name) else institution_name_key(i.name.name, None), False),
        (lambda i: institution_name_key(i.name.name, None) if is_generic_name(i.name.name) else "", True),
    )
    for key_of, named_with_country in keys:
        groups: dict[str, list[tuple[Action, Institution]]] = defaultdict(list)
        for action in actions:
            for institution in action.partners:
                key = key_of(institution)
                if key.strip("|"):
                    groups[key].append((action, institution))
        for members in groups.values():
            known = [f for f in (facts[a.key].partner_country for a, _ in members) if f is not None]
            countries = {f.value for f in known}
            if named_with_country:  # a generic name: only where a text names it with its country
                known = [f for f in known if f.rule in NAMED_WITH_COUNTRY]
            if len(countries) != 1 or not known:
                continue
            (country,) = countries
            source = known[0]
            for action, institution in members:
                if action.key in no_country:
                    continue
                if facts[action.key].partner_country is None and not _regional(institution):
                    facts[action.key].partner_country = Fact(
                        "partner_country",
                        country,
                        "same-institution" if source.curation is None else "curation",
                        source.file,
                        source.line,
                        source.start,
                        source.end,
                        source.sentence,
                        f"the country of {institution.name.name!r} in another action",
                        source.curation,
                    )


class _Groups:
    """Union-find over mention keys, with the reason each union was made."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, str | None], tuple[str, str | None]] = {}

    def find(self, key: tuple[str, str | None]) -> tuple[str, str | None]:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: tuple[str, str | None], b: tuple[str, str | None]) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        first, second = sorted((ra, rb), key=lambda k: (k[0], k[1] or ""))
        self.parent[second] = first
        return True


def resolve_institutions(
    actions: list[Action], facts: dict[str, ActionFacts], no_country: frozenset[str] = frozenset()
) -> tuple[dict[str, list[ResolvedInstitution]], list[Anomaly]]:
    """The institutions of each action, merged across actions (never across countries), with the
    anomalies: institutions whose country is unknown, and merges with their reason (``no_country``:
    see :func:`carry_countries`)."""
    carry_countries(actions, facts, no_country)
    anomalies: list[Anomaly] = []
    # each mention, in the country of its action: keyed by its folded name
    mentions: list[tuple[Action, Institution, tuple[str, str | None]]] = []
    for action in actions:
        partner_country = facts[action.key].partner_country
        country = partner_country.value if partner_country else None
        for institution in action.partners:
            mentions.append((action, institution, (institution_name_key(institution.name.name, country), country)))
    groups = _Groups()
    for _, _, key in mentions:
        groups.find(key)
    # mentions of one country that share an acronym, or whose name is another's original-language name
    by_acronym: dict[tuple[str, str], list[tuple[str, str | None]]] = defaultdict(list)
    by_original: dict[tuple[str, str | None], tuple[str, str | None]] = {}
    named: dict[tuple[str, str | None], PartnerName] = {}
    for _, institution, key in mentions:
        named.setdefault(key, institution.name)
        country = key[1]
        if country is None:
            continue
        acronym = _acronym_key(institution.name)
        if len(acronym) >= 2:
            by_acronym[acronym, country].append(key)
        if institution.name.original_name:
            by_original.setdefault((institution_name_key(institution.name.original_name, country), country), key)
    merges: list[tuple[tuple[str, str | None], tuple[str, str | None], str]] = []
    for (_, country), keys in sorted(by_acronym.items()):
        for other in sorted(set(keys))[1:]:
            first = sorted(set(keys))[0]
            if groups.union(first, other):
                merges.append((first, other, f"they share the acronym {named[first].acronym} in {country}"))
    for _, _, key in sorted(mentions, key=lambda m: (m[2][0], m[2][1] or "")):
        original = by_original.get(key)
        if original is not None and original != key and groups.union(original, key):
            merges.append((original, key, f"{named[key].name!r} is the original-language name of the other"))
    for first, other, reason in merges:
        where = next(action for action, _mention, key in mentions if key == other).first
        partner = where.partners[0] if where.partners else where.title
        anomalies.append(
            Anomaly(
                "institutions-merged",
                partner.file,
                partner.line,
                f"{named[first].name!r} and {named[other].name!r} ({first[1]}) are one institution: {reason}",
            )
        )

    resolved: dict[tuple[str, str | None], ResolvedInstitution] = {}
    per_action: dict[str, list[ResolvedInstitution]] = {}
    for action in actions:
        mine = []
        for institution in action.partners:
            partner_country = facts[action.key].partner_country
            country = partner_country.value if partner_country else None
            root = groups.find((institution_name_key(institution.name.name, country), country))
            node = resolved.setdefault(root, ResolvedInstitution(f"{root[0]}|{root[1] or ''}", root[1]))
            node.names.append(institution.name)
            for variant in institution.variants:
                if variant not in node.variants:
                    node.variants.append(variant)
            mine.append(node)
        per_action[action.key] = mine
    for node in resolved.values():
        if node.country is None:
            holder = next(a for a in actions if node in per_action[a.key])
            partner = holder.first.partners[0] if holder.first.partners else holder.first.title
            anomalies.append(
                Anomaly(
                    "institution-country-unknown",
                    partner.file,
                    partner.line,
                    f"no country found for the partner institution {node.name.name!r}",
                )
            )
    return per_action, anomalies
