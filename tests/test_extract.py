"""Extraction: one test per phrasing pattern and per trap, on the smallest texts that show them."""

from __future__ import annotations

import textwrap

import pytest

from graph.extract.nlp import load_nlp
from graph.extract.run import extract
from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader


def entry(title: str, partner: str, description: str, types: str = "Policy development") -> str:
    return f"  • {title}\n\n    {partner}\n    {types}\n    {description}\n"


def facts_of(*entries: str):
    """Facts of each action of a document made of ``entries``, in order."""
    doc = DocumentReader().read("".join(entries), "doc.txt")
    merged = merge_documents([doc])
    extraction = extract(merged.actions)
    return [extraction.facts[a.key] for a in merged.actions], extraction, merged


def one(description: str, partner: str = "Ministry of Labour", title: str = "Support to the ministry"):
    (facts,), _, _ = facts_of(entry(title, partner, description))
    return facts


def values(facts_list) -> list[str]:
    return sorted(f.value for f in facts_list)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Experts from France and Spain mobilised by SOCIEUX+ reviewed the scheme.", ["ESP", "FRA"]),
        (
            "Experts from Belgium, Estonia and the Netherlands mobilised by SOCIEUX+ trained the staff.",
            ["BEL", "EST", "NLD"],
        ),
        ("Spanish experts reviewed the pension law.", ["ESP"]),
        ("The work drew on Belgian, Romanian and Swedish expertise.", ["BEL", "ROU", "SWE"]),
        ("Finnish, French, and German experts mobilized by SOCIEUX+ provided advice.", ["DEU", "FIN", "FRA"]),
        ("French experts accompanied by regional experts from Cameroon assessed the grants.", ["CMR", "FRA"]),
        ("Peers from Lithuania shared their practice.", ["LTU"]),
        ("An expert from the Portuguese Social Security Institute joined the mission.", ["PRT"]),
        ("A practitioner from Arbetsförmedlingen presented its matching tools.", ["SWE"]),
        ("Experts mobilized by the German Association of Accident Insurance trained the staff.", ["DEU"]),
        ("EExperts from Finland and Portugal took part in the seminar.", ["FIN", "PRT"]),
        ("Two public EU experts - from Croatia and France this time - gave lectures.", ["FRA", "HRV"]),
        ("Experts from the Czech Republic and the United Kingdom worked with the unit.", ["CZE", "GBR"]),
        ("Experts from Türkiye and a Dutch colleague from the Social and Economic Council advised.", ["NLD", "TUR"]),
        ("A Slovenian and a Croatian expert designed the course.", ["HRV", "SVN"]),
        ("A French child protection specialist and an Irish inspector reviewed the cases.", ["FRA", "IRL"]),
        (
            "Experts from Denmark's Agency for Labour Market and Recruitment and from Germany's BIBB presented tools.",
            ["DEU", "DNK"],
        ),
        (
            "Counsellors from Greece's public employment service and from the Public Employment Service of Cyprus "
            "trained staff.",
            ["CYP", "GRC"],
        ),
        (
            "Teams of experts with different profiles and country origin (France, Morocco, the Netherlands) "
            "exchanged with the partner.",
            ["FRA", "MAR", "NLD"],
        ),
        # a demonym standing for a person beside an expert of the same sentence
        ("A Latvian actuary and a Greek from the pension fund priced the options.", ["GRC", "LVA"]),
        ("An Austrian from the labour inspectorate and a Danish expert drafted the checklist.", ["AUT", "DNK"]),
        # a list of origins that goes on after a first "from" phrase naming no country
        ("Experts from Skills and Qualifications Malta and from Estonia's Unemployment Fund wrote it.", ["EST"]),
        ("Two experts from the pension board and one from the Social Insurance Agency of Lithuania advised.",
         ["LTU"]),
        # a nationality inside the institution a "from" phrase names
        ("Experts from the board of the Estonian Health Insurance Fund advised the fund.", ["EST"]),
        # experts counted, then given one by one after a colon
        ("Three experts assessed the scheme: one from a pension fund in Austria, the others from Belgium.",
         ["AUT", "BEL"]),
        # people who lend knowledge under other nouns
        ("A Maltese social educator and a Cypriot speech therapist reviewed the care plans.", ["CYP", "MLT"]),
    ],
)
def test_expert_country_phrasings(sentence, expected):
    assert values(one(sentence).expert_countries) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The reform was inspired by the Danish model of flexicurity.",
        "EU member states such as Austria and Germany apply similar rules.",
        "Experts mobilised worked with their Tunisian peers on the data.",
        "The trainers trained 30 counsellors from Bolivia on soft skills.",
        "Portuguese-speaking experts translated the manual.",
        "Experts from EU Member States presented European practices.",
        "A Greek from the ministry attended the seminar run by the experts.",
        "The experts wrote that a Latvian may retire at 65.",
        "The experts coached two groups: one from Latvia, the other from Estonia.",
    ],
)
def test_countries_only_mentioned_get_no_expert_role(sentence):
    assert one(sentence).expert_countries == []


def test_partner_peers_are_evidence_of_the_partner_country():
    facts = one("Experts mobilised by SOCIEUX worked with their Liberian peers in an assessment.")
    assert facts.partner_country.value == "LBR" and facts.partner_country.rule == "partner-peers"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("A series of training sessions and a study visit to Germany addressed the request.", ["DEU"]),
        ("A study tour in Spain and Italy followed.", ["ESP", "ITA"]),
        ("A delegation from Kazakhstan visited Finland to study foster care.", ["FIN"]),
        ("An ISSSTE delegation travelled to Madrid to observe practices.", ["ESP"]),
        ("A study visit to the Spanish Public Employment Service completed the action.", ["ESP"]),
        ("The action included a study-visit to different peer institutions in Romania.", ["ROU"]),
        ("Three missions in Podgorica focused on the organisation of the Fund.", []),
    ],
)
def test_study_visit_phrasings(sentence, expected):
    assert values(one(sentence).study_visit_countries) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the partner's people visiting, with no delegation noun: EU hosts only
        ("Afterwards four of the branch heads visited two job centres in Ghent and Antwerp.", ["BEL"]),
        ("A small group of the agency's managers then visited Lisbon and Tallinn.", ["EST", "PRT"]),
        ("Two of the inspectors then spent ten days with the labour inspectorate in Vienna.", ["AUT"]),
        ("The fund's actuaries later travelled to Warsaw to meet the statistics office.", ["POL"]),
        ("The consultants later travelled to Warsaw to meet the statistics office.", []),
        ("Experts from Spain visited the regional offices in Madrid.", []),
        ("The Danish consultants presented their model, and the officials then visited Copenhagen.", ["DNK"]),
        ("Three officers visited the branch offices in Nairobi and Mombasa.", []),
        ("The minister spent most of the budget in Brussels.", []),
    ],
)
def test_the_partners_people_visiting_an_eu_member_state(sentence, expected):
    assert values(one(sentence).study_visit_countries) == expected


def test_delegation_origin_is_not_a_study_visit_host():
    facts = one("A delegation from Kazakhstan visited Finland.", partner="Commissioner for Children's Rights")
    assert values(facts.study_visit_countries) == ["FIN"]


@pytest.mark.parametrize(
    ("description", "partner", "title", "expected", "rule"),
    [
        (
            "The Ministry of Labour of Suriname asked for support.",
            "Ministry of Labour",
            "Support",
            "SUR",
            "institution-of-country",
        ),
        (
            "The goal of this action requested by Montenegro’s Center for Social Work was to improve protocols.",
            "PI Center for social work",
            "Support",
            "MNE",
            "country-possessive",
        ),
        (
            "The Peruvian National Council for Labour submitted a request.",
            "Ministry of Labour",
            "Support",
            "PER",
            "demonym-institution",
        ),
        (
            "The action assessed the sector.",
            "Prime-Ministers Office",
            "Support to the disability sector in Kosovo*",
            "XKX",
            "title-country",
        ),
        (
            "Three missions in Podgorica focused on the organisation of the Fund.",
            "Pension Fund",
            "Support",
            "MNE",
            "place-after-preposition",
        ),
        (
            "The fund asked for support.",
            "National Health Insurance Institute [Institut National d'Assurance Maladie du Togo] (INAM)",
            "Support",
            "TGO",
            "partner-line",
        ),
    ],
)
def test_partner_country_phrasings(description, partner, title, expected, rule):
    facts = one(description, partner=partner, title=title)
    assert facts.partner_country.value == expected and facts.partner_country.rule == rule


def test_partner_country_is_never_an_eu_member_state_from_weak_evidence():
    facts = one("Experts from Spain presented the Spanish model; the ministry of Ecuador adapted it.")
    assert facts.partner_country.value == "ECU"


def test_contradiction_between_title_and_description_is_decided_and_reported():
    _, extraction, _ = facts_of(
        entry(
            "Modernization of recruitment in the civil service of Costa Rica",
            "General Directorate of Civil Service",
            "Through this first Action in partnership with the General Directorate of Civil Service of Panama, "
            "experts from Spain reviewed the recruitment model.",
        )
    )
    conflicts = [a for a in extraction.anomalies if a.kind == "partner-country-conflict"]
    assert len(conflicts) == 1 and "PAN" in conflicts[0].detail and "CRI" in conflicts[0].detail


def test_country_names_inside_other_names_are_not_confused():
    nlp = load_nlp()
    doc = nlp(
        "Niger and Nigeria, Nigerien and Nigerian staff, Guinea, Guinea-Bissau, Equatorial Guinea and "
        "Papua New Guinea; the Indian Ocean; Dominica and the Dominican Republic; the DRC and Congo."
    )
    found = [(e.text, e.ent_id_) for e in doc.ents if e.label_ in ("COUNTRY", "DEMONYM")]
    assert found == [
        ("Niger", "NER"),
        ("Nigeria", "NGA"),
        ("Nigerien", "NER"),
        ("Nigerian", "NGA"),
        ("Guinea", "GIN"),
        ("Guinea-Bissau", "GNB"),
        ("Equatorial Guinea", "GNQ"),
        ("Papua New Guinea", "PNG"),
        ("Dominica", "DMA"),
        ("Dominican Republic", "DOM"),
        ("DRC", "COD"),
        ("Congo", "COG"),
    ]


def test_country_variants():
    nlp = load_nlp()
    doc = nlp(
        "Czechia, the Czech Republic, Ivory Coast, Côte d’Ivoire, the Gambia, Kosovo*, North Macedonia, "
        "Türkiye, Turkey, Dutch, Cabo Verde, Viet Nam"
    )
    assert [e.ent_id_ for e in doc.ents] == [
        "CZE",
        "CZE",
        "CIV",
        "CIV",
        "GMB",
        "XKX",
        "MKD",
        "TUR",
        "TUR",
        "NLD",
        "CPV",
        "VNM",
    ]


def test_institution_country_carries_over_and_variants_merge_but_never_across_countries():
    facts, extraction, merged = facts_of(
        entry(
            "Support A",
            "Ministry of Labour and Employment Promotion [Ministerio de Trabajo y Promoción del Empleo]",
            "The Ministry of Labour and Employment Promotion of Peru asked for support from Spanish experts.",
        ),
        entry(
            "Support B",
            "Ministry of Labor and Employment Promotion [Ministerio de Trabajo y Promoción del Empleo]",
            "The ministry modernised its services with French experts.",
        ),
        entry("Support C", "Ministry of Labour", "The Ministry of Labour of Suriname asked for advice."),
        entry("Support D", "Ministry of Labour", "The Ministry of Labour of Ecuador asked for advice."),
    )
    assert [f.partner_country.value for f in facts] == ["PER", "PER", "SUR", "ECU"]
    assert facts[1].partner_country.rule == "same-institution"
    nodes = [extraction.institutions[a.key][0] for a in merged.actions]
    assert nodes[0] is nodes[1] and nodes[2] is not nodes[3]
    assert {n.name for n in nodes[0].names} == {
        "Ministry of Labour and Employment Promotion",
        "Ministry of Labor and Employment Promotion",
    }


@pytest.mark.parametrize(
    ("sentence", "own", "related"),
    [
        (
            "Building on the previous support (Action 2022-21) provided by SOCIEUX+, this action continued.",
            None,
            [("2022-21", "builds-on")],
        ),
        ("Follow-up from action 2014-04 This action built on these achievements.", None, [("2014-04", "follow-up")]),
        (
            "This action was implemented in parallel to the action 2020-35, with the same ministry.",
            None,
            [("2020-35", "parallel-to")],
        ),
        ("Action 2023-11 was implemented from May to November 2023.", "2023-11", []),
        ("This action is coded 2023-38 in the portfolio.", "2023-38", []),
        ("The plan covers 2024-2027 and the strategy for 2016-20.", None, []),
        (
            "SOCIEUX+ supported the network through various actions (including 2017-17, 2015-24, and 2014-25).",
            None,
            [("2014-25", "related"), ("2015-24", "related"), ("2017-17", "related")],
        ),
    ],
)
def test_action_code_phrasings(sentence, own, related):
    facts = one(sentence)
    assert (facts.action_code.value if facts.action_code else None) == own
    assert sorted((f.value, f.detail) for f in facts.related_actions) == related


def test_organisations_with_roles_and_the_partner_itself_left_out():
    facts = one(
        "In collaboration with the ILO and funded by the World Bank, the EU Delegation in Dakar and "
        "the Inter-African Conference on Social Welfare met.",
        partner="Inter-African Conference on Social "
        "Welfare [Conférence Interafricaine de la Prévoyance Sociale] (CIPRES)",
    )
    assert {(f.value, f.detail) for f in facts.organisations} == {
        ("ILO", "collaborator"),
        ("World Bank", "funder"),
        ("EU Delegation", "collaborator"),
    }
    assert facts.partner_country is None  # a regional body has no partner country


def themes_of(facts) -> dict[str, str]:
    return {f.value.rsplit("/", 1)[1]: f.detail for f in facts.themes}


def test_themes_are_matched_on_lemmas_with_the_sentence_and_cues_that_decided():
    facts = one("Experts reviewed the pensions and the occupational safety and health of workers with disabilities.")
    themes = themes_of(facts)
    assert set(themes) == {"pensions", "occupational-safety-health", "disability"}
    assert "'pensions' (activity" in themes["pensions"]
    pension = next(f for f in facts.themes if f.value.endswith("/pensions"))
    assert pension.sentence.startswith("Experts reviewed the pensions")


def test_the_title_weighs_most_and_background_sentences_not_at_all():
    facts = one(
        "The ministry is responsible for pensions, health insurance and child protection. Experts drafted a manual.",
        title="Reform of the pension scheme",
    )
    assert set(themes_of(facts)) == {"pensions"}
    assert "(title" in themes_of(facts)["pensions"]


def test_a_single_weak_cue_in_passing_is_not_enough():
    facts = one("Experts trained 40 inspectors, including women, on the new labour code.")
    assert "gender" not in themes_of(facts)
    assert "labour-law-inspection" in themes_of(facts)


def test_the_partners_name_is_no_theme():
    facts = one(
        "The Ministry of Social Welfare and Youth asked experts to review the labour code.",
        partner="Ministry of Social Welfare and Youth",
    )
    assert set(themes_of(facts)) == {"labour-law-inspection"}


def test_acronym_cues_are_matched_as_written_never_as_common_words():
    doc = load_nlp()("It was agreed that it should go. The IT system of the SMEs and the PES was reviewed, as pes once.")
    cues = sorted((f.value.rsplit("/", 1)[1], f.detail) for f in doc._.findings if f.kind == "theme_cue")
    assert cues == [
        ("digitalisation-data", "IT system"),
        ("entrepreneurship", "SMEs"),
        ("public-employment-services", "PES"),
    ]


def test_american_spellings_match_the_schemes_british_cues():
    assert "labour-law-inspection" in themes_of(one("Experts reviewed the labor code and its labor inspection."))


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("experts from France and Spain " * 2000, {"FRA", "ESP"}),  # no sentence boundary
        # a Cyrillic a makes no France, whatever else the noise holds
        ("Ünïcödé ☃ ﬁ \u200b experts from Frаnce (Cyrillic a) — “quotes” ‹›  ۱۲۳ 🙂 " * 50, set()),
        ("Experts from France met the Ministry of Labour of Peru in Lima. " * 5000, {"FRA"}),  # 320 kB
    ],
)
def test_odd_text_never_crashes(description, expected):
    facts = one(description)
    assert {f.value for f in facts.expert_countries} == expected


def test_evidence_points_at_the_line_and_span_of_the_sentence():
    text = entry(
        "Support",
        "Ministry of Labour",
        "The ministry asked for help. Experts from Estonia and Latvia reviewed the law.",
    )
    (facts,), _, _ = facts_of(text)
    estonia = next(f for f in facts.expert_countries if f.value == "EST")
    line = textwrap.dedent(text).splitlines()[4].strip()
    assert estonia.line == 5 and line[estonia.start : estonia.end] == "Estonia"
    assert estonia.sentence == "Experts from Estonia and Latvia reviewed the law."
    assert estonia.rule == "expert-from-country"


def test_extraction_in_worker_processes_gives_the_same_facts(monkeypatch):
    """The forked workers (used on large inputs) find exactly what one process finds, in order."""
    from graph.extract import run
    from graph.read.reader import read_document
    from tests.conftest import SEED_FILES

    reader = DocumentReader()
    actions = merge_documents([read_document(p, reader) for p in SEED_FILES], reader.matcher).actions[:60]
    one = run.extract(actions, jobs=1)
    monkeypatch.setattr(run, "PARALLEL_TEXTS", 1)
    two = run.extract(actions, jobs=2)
    assert len(one.facts) == 60 and sum(len(f.expert_countries) for f in one.facts.values()) > 20
    assert one.facts == two.facts
    assert one.anomalies == two.anomalies


def test_sentence_of_a_span_is_spacys_sentence():
    """The rules find a span's sentence from bounds computed once per doc; it is what spaCy's
    ``span.sent`` gives, for every token, entity and sentence-crossing span of the seed texts."""
    from graph.extract.doc_index import sentence_of
    from tests.conftest import SEED_FILES

    texts = [line for path in SEED_FILES for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts.append("word " * 300 + ". Next one here.  And  spaces . ")  # a run the sentence cap cuts
    checked = 0
    for doc in load_nlp().pipe(texts):
        spans = [*doc, *doc.ents, *(doc[i : min(len(doc), i + 30)] for i in range(0, len(doc), 7))]
        for span in spans:
            assert sentence_of(span) == span.sent.text.strip()
            checked += 1
    assert checked > 30_000


# ---------------------------------------------------------------- general mechanisms (issue 13)


def test_a_country_misspelt_by_a_letter_is_read_and_reported_with_both_spellings():
    (facts,), extraction, _ = facts_of(
        entry("Support", "Ministry of Labour", "Experts from Estonia and Irland reviewed the law.")
    )
    assert values(facts.expert_countries) == ["EST", "IRL"]
    (anomaly,) = [a for a in extraction.anomalies if a.kind == "country-spelling"]
    assert "'Irland'" in anomaly.detail and "'Ireland'" in anomaly.detail and anomaly.line == 5


@pytest.mark.parametrize(
    "text",
    [
        "Columbia University hosted the seminar.",  # inside a longer capitalised name
        "Roland presented the reform.",  # a first letter is never the typo
        "The Americas and Europe compared their schemes.",  # not where a country is expected
        "Romani mediators from the municipality took part.",  # a people's name, not "Romania" misspelt
        "Experts from Indiana shared their practice.",  # a place, not "Indian"
    ],
)
def test_words_near_a_country_name_are_not_read_as_that_country(text):
    doc = load_nlp()(text)
    assert [e for e in doc.ents if e.label_ in ("COUNTRY", "DEMONYM")] == []


@pytest.mark.parametrize("mark", ["'", "’", "‘", "`", "´", "?"])
def test_a_possessive_reads_the_same_with_every_apostrophe(mark):
    facts = one(f"The request came from Kenya{mark}s National Social Security Fund.", partner="Pension Fund")
    assert (facts.partner_country.value, facts.partner_country.rule) == ("KEN", "country-possessive")


def test_an_acronym_of_a_country_gives_that_country_not_the_agencys():
    """INPS is also Italy's agency in the gazetteer: "of Cabo Verde" says whose INPS it is."""
    facts = one("The INPS of Cabo Verde asked for support.", partner="National Social Security Institute (INPS)")
    assert (facts.partner_country.value, facts.partner_country.rule) == ("CPV", "institution-of-country")
    assert one("Experts from the INPS of Cabo Verde trained the staff.").expert_countries[0].value == "CPV"


def test_a_city_name_shared_by_several_countries_decides_nothing_on_its_own():
    assert one("Three missions took place in Santiago.", partner="Pension Fund").partner_country is None
    supported = one("The Pension Fund of Chile asked for support; missions took place in Santiago.")
    assert supported.partner_country.value == "CHL"


def test_a_shared_city_as_a_study_visit_host_is_its_one_eu_member_state():
    assert values(one("A study visit to Valencia completed the action.").study_visit_countries) == ["ESP"]


def test_a_municipality_of_a_town_of_one_country_names_that_country():
    facts = one("The Municipality of La Estrella asked for support.", partner="Public Employment Service")
    assert (facts.partner_country.value, facts.partner_country.rule) == ("COL", "settlement-of-town")


def test_towns_of_one_country_listed_after_a_preposition_name_that_country_but_one_town_alone_does_not():
    facts = one("Clinics in Kribi and Limbe were short of nurses.", partner="Public Health Fund")
    assert (facts.partner_country.value, facts.partner_country.rule) == ("CMR", "towns-after-preposition")
    assert one("Clinics in Kribi were short of nurses.", partner="Public Health Fund").partner_country is None
    mixed = one("Clinics in Kribi and Tiznit were short of nurses.", partner="Public Health Fund")
    assert mixed.partner_country is None


def test_a_country_workers_are_sent_to_is_only_mentioned():
    facts = one("The agency sends seasonal workers to Spain and keeps their files.")
    assert facts.partner_country is None and [m.value for m in facts.mentions] == ["ESP"]


def test_a_neighbouring_country_mentioned_in_passing_is_not_the_partner():
    facts = one("The ministry asked for support, as neighbouring Senegal had reformed its scheme.")
    assert facts.partner_country is None and [m.value for m in facts.mentions] == ["SEN"]


def test_a_team_of_the_partners_nationality_is_the_partners_staff():
    facts = one(
        "The Ministry of Labour of Paraguay asked for support. The Paraguayan team, 14 officials, drafted the rule."
    )
    assert facts.partner_country.value == "PRY" and facts.expert_countries == []
    assert values(one("A Spanish team of the social security institute advised.").expert_countries) == ["ESP"]


def test_a_bracket_of_countries_after_an_expert_noun_phrase_names_the_experts_countries():
    facts = one("Experts of several profiles (Spain, Italy) advised the fund.")
    assert values(facts.expert_countries) == ["ESP", "ITA"]
    assert facts.expert_countries[0].rule == "expert-roster"


# ---------------------------------------------------------------- programmes


@pytest.mark.parametrize(
    ("sentence", "programme", "cue"),
    [
        ("The action joined the ILO programme Vision Zero Fund.", "Vision Zero Fund", "ILO"),
        (
            "Experts supported the EU-funded project Employment Promotion in Rural Areas.",
            "Employment Promotion in Rural Areas",
            "EU-funded",
        ),
        ("The action was coordinated with the EUROsociAL+ programme led by FIIAPP.", "EUROsociAL+", "FIIAPP"),
        # a name before its noun keeps the noun the text attaches to it; an organisation before it is not part of it
        (
            "A session was co-organised with the ILO Better Work Bangladesh programme.",
            "Better Work Bangladesh programme",
            "ILO",
        ),
        ("The request was supported by the GIZ initiative Skills-for-Jobs.", "Skills-for-Jobs", "GIZ"),
        (
            "It benefited from the EU-funded International Labour and Environmental Standards project.",
            "International Labour and Environmental Standards project",
            "EU-funded",
        ),
        (
            "It was linked to the ILO Global Flagship Programme on Building Social Protection Floors for All.",
            "Global Flagship Programme on Building Social Protection Floors for All",
            "ILO",
        ),
        # the partner's own named programmes count (docs/extraction.md's convention)
        ("Families of the Tekavoul programme are referred to the centres.", "Tekavoul programme", ""),
        (
            "The ministry runs the National Social Cash Transfer Programme with World Bank support.",
            "National Social Cash Transfer Programme",
            "World Bank",
        ),
        ("The youth programme Jóvenes con Futuro was discussed.", "Jóvenes con Futuro", ""),
        (
            "The results will feed the Presidential Youth Employment Intervention.",
            "Presidential Youth Employment Intervention",
            "",
        ),
    ],
)
def test_named_programmes_are_read_whole(sentence, programme, cue):
    (fact,) = one(sentence).programmes
    assert fact.value == programme and fact.detail == cue and fact.sentence == sentence


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # a name the text defines as a scheme, with no programme word attached to it
        ("The ministry runs Amani Jamii, a cash transfer for orphans, and Renta Solidaria 70, a non-contributory "
         "pension.", ["Amani Jamii", "Renta Solidaria 70"]),
        ("Kazi Bora is a voluntary long-term savings scheme for informal workers.", ["Kazi Bora"]),
        ("The Tumaini Mema transfer reaches 5,000 households.", ["Tumaini Mema"]),
        ("The fund manages a scheme called Esperanza Digna.", ["Esperanza Digna"]),
        # a name in a language that puts the programme noun first; a name ending in a programme's noun
        ("Families of the Programme National de Soutien aux Familles were registered.",
         ["Programme National de Soutien aux Familles"]),
        ("Serbia piloted the Youth Guarantee in two regions.", ["Youth Guarantee"]),
        ("It follows the Urban Safety Net Programme of the capital.", ["Urban Safety Net Programme"]),
        ("Grants are paid through the eKazi programme.", ["eKazi programme"]),
        # no proper name: a person, a description of the scheme, a first word, a capitalised scheme, an expansion
        ("Ana Ruiz, the project coordinator, met the ministry.", []),
        ("The Universal Health Coverage scheme reaches few workers. The Old Age pension is paid monthly.", []),
        ("Today, a new pension was introduced.", []),
        ("The Social Pension Scheme was reviewed.", []),
        ("Experts met staff of the PIMI II programme (Programa Integrado de Saúde Materna).", ["PIMI II programme"]),
        # a defining noun after a possessive, a health insurance or a safety net as the scheme noun
        ("Mwangaza Bora, the region's largest cash transfer, was reviewed.", ["Mwangaza Bora"]),
        ("Sehat Kafalat, the tax-funded health insurance of poor families, pays hospital bills.", ["Sehat Kafalat"]),
        ("Uhai Moja, the national safety net, reaches 9,000 households.", ["Uhai Moja"]),
        # a name the text gives right after the scheme noun it is
        ("Ghana's unemployment insurance, Tiwa Kese Adwuma (TKA), began in 2021.", ["Tiwa Kese Adwuma"]),
        # a scheme in the partner's language as the subject of what it does for people; not a person
        ("Madres con Futuro pays young mothers a small grant while they train.", ["Madres con Futuro"]),
        ("Ana Ruiz gives young people advice on their first job.", []),
        ("The National Employment Agency places young people in firms.", []),
        # an acronym spelt out in brackets as no institution, then defined as a scheme
        ("The fund also runs PAMI (Pensión de Ahorro Mínimo), a voluntary savings scheme.", ["PAMI"]),
        ("Workers join the INSS (Instituto Nacional de Seguridad Social), a contributory scheme.", []),
        # a plural possessive and a hyphenated word inside a capitalised name
        ("Widows are entitled to the Older Farmers' Grant every month.", ["Older Farmers' Grant"]),
        ("The In-Work Apprenticeship Programme places school leavers.",
         ["In-Work Apprenticeship Programme"]),
        # a name opened by a scheme noun of another language, with or without a joiner in it
        ("Enrolment in the Couverture Sanitaire Nationale (CSN) is compulsory.", ["Couverture Sanitaire Nationale"]),
        ("Pensión Vejez Digna pays older people in rural areas.", ["Pensión Vejez Digna"]),
        ("The Asignación Familiar por Discapacidad is withheld until forms are filed.",
         ["Asignación Familiar por Discapacidad"]),
    ],
)
def test_national_programmes_named_without_a_programme_word_are_read(description, expected):
    assert values(one(description).programmes) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "The staff followed a six-week induction programme.",
        "An ILO project on safety in construction was ongoing.",
        "The SOCIEUX+ programme mobilised experts from Spain.",
        "Experts reviewed the VET initiatives of the regions.",
        "The National programme was reviewed.",
        "This intervention trained twenty officers.",
        "The Workers' Union and the Citizens' Assembly met the ministry.",
        "Its health insurance, which covers civil servants, was assessed.",
    ],
)
def test_generic_mentions_are_not_programmes(sentence):
    assert one(sentence).programmes == []


def test_the_partners_name_before_programmes_is_no_programme():
    facts = one(
        "Workshops addressed the programmes led by Social Prosperity’s programmes, funded by the World Bank.",
        partner="Administrative Department for Social Prosperity [Prosperidad Social]",
    )
    assert facts.programmes == []


def test_one_programme_named_twice_in_an_action_is_one_by_its_bare_or_its_longer_name():
    facts = one(
        "Graduation is offered through the graduation initiative Forsa. The Forsa initiative has 9,000 families. "
        "The action assessed the Zanzibar School Feeding Programme.",
        title="Assessment of School Feeding Programme",
    )
    assert values(facts.programmes) == ["Forsa", "Zanzibar School Feeding Programme"]


def test_programme_iris_ignore_case_and_punctuation_and_keep_every_spelling_as_a_label():
    from graph.rdf.mapping import programme_iri, programme_labels

    spellings = ["Skills for Jobs", "SKILLS for JOBS", "Skills-for-Jobs", "Skills for Jobs"]
    assert len({programme_iri(s) for s in spellings}) == 1
    assert programme_iri("EUROsociAL") == programme_iri("EUROsociAL+")
    assert programme_iri("A" * 40 + " one") != programme_iri("A" * 40 + " two")  # long names never share one
    ((node, (pref, others)),) = programme_labels(spellings).items()
    assert pref == "Skills for Jobs" and others == ["SKILLS for JOBS", "Skills-for-Jobs"]


# ---------------------------------------------------------------- who gives, who receives (issue 21)


@pytest.mark.parametrize(
    ("sentence", "partner", "experts", "country"),
    [
        (
            "20 inspectors from Ghana were trained by experts from Sweden.",
            "Ministry of Labour of Ghana",
            ["SWE"],
            "GHA",
        ),
        ("Swedish experts trained 20 Ghanaian inspectors.", "Ministry of Labour of Ghana", ["SWE"], "GHA"),
        (
            "Managers from Kenya attended the workshop given by experts from Spain.",
            "Ministry of Labour",
            ["ESP"],
            "KEN",
        ),
        ("SOCIEUX+ trained 20 agents from Senegal with experts from France.", "Ministry of Labour", ["FRA"], "SEN"),
        (
            "Specialists of Peru's Ministry of Labour worked with experts from Spain.",
            "Ministry of Labour",
            ["ESP"],
            "PER",
        ),
        (
            "The guide was welcomed by the Kenyan peers. Experts from Portugal wrote it.",
            "Labour Department",
            ["PRT"],
            "KEN",
        ),
        (
            "Inspectors from Ghana were trained by a team of experts from Sweden and Finland.",
            "Labour Department",
            ["FIN", "SWE"],
            "GHA",
        ),
        (
            "Experts from Spain have accompanied the partner in mapping the actors.",
            "Ministry of Labour of Peru",
            ["ESP"],
            "PER",
        ),
        (
            "An Irish inspector reviewed the cases with a Portuguese colleague.",
            "Ministry of Labour of Peru",
            ["IRL", "PRT"],
            "PER",
        ),
    ],
)
def test_the_people_who_receive_are_no_experts_in_active_and_passive_sentences(sentence, partner, experts, country):
    facts = one(sentence, partner=partner)
    assert values(facts.expert_countries) == experts
    assert facts.partner_country is not None and facts.partner_country.value == country


@pytest.mark.parametrize(
    ("sentence", "experts", "country", "rule"),
    [
        # the receivers' country is the partner's, also when a possessive names their region
        ("Social workers from Honduras's northern districts were coached by experts from Austria. "
         "The United States funds the shelters.", ["AUT"], "HND", "receivers-of-country"),
        ("Nicaraguans often migrate. Experts from Spain trained 30 counsellors from Nicaragua; "
         "Costa Rica and Panama were named as examples.", ["ESP"], "NIC", "receivers-of-country"),
        # the people of a country, in the plural
        ("Many Bolivians were interviewed by experts from France.", ["FRA"], "BOL", "demonym-mention"),
    ],
)
def test_the_country_of_the_people_who_receive_is_evidence_of_the_partner_country(sentence, experts, country, rule):
    facts = one(sentence, partner="Ministry of Labour")
    assert values(facts.expert_countries) == experts
    assert (facts.partner_country.value, facts.partner_country.rule) == (country, rule)


def test_a_country_with_another_role_is_the_partner_when_the_text_places_the_action_in_no_other():
    (facts,), extraction, _ = facts_of(
        entry(
            "Support",
            "Workers' Compensation Board",
            "The board runs offices in Nairobi and Mombasa. The expert team was made up of experts from "
            "Austria and a Kenyan expert, who led the sessions.",
        )
    )
    assert facts.partner_country.value == "KEN" and values(facts.expert_countries) == ["AUT", "KEN"]
    (reported,) = [a.detail for a in extraction.anomalies if a.kind == "expert-country-is-partner"]
    assert reported.endswith("kept: the sentence says the facility sent them")


def test_an_expert_country_that_is_the_partners_is_kept_only_when_the_facility_sent_them_and_reported_either_way():
    (kept, dropped), extraction, _ = facts_of(
        entry("Support", "Ministry of Labour of Peru", "SOCIEUX+ mobilised a Peruvian expert and a Spanish expert."),
        entry("Advice", "Ministry of Labour of Peru", "Peruvian specialists and a Spanish expert drafted the guide."),
    )
    assert values(kept.expert_countries) == ["ESP", "PER"] and values(dropped.expert_countries) == ["ESP"]
    reported = sorted(
        a.detail.rsplit("; ", 1)[1] for a in extraction.anomalies if a.kind == "expert-country-is-partner"
    )
    assert reported == ["dropped: the partner's own people", "kept: the sentence says the facility sent them"]


# ---------------------------------------------------------------- one node per institution (issue 21)


def test_institutions_sharing_an_acronym_or_an_original_name_in_one_country_are_one_and_the_merge_is_reported():
    facts, extraction, merged = facts_of(
        entry("Support A", "National Health Insurance Institute (INAM)", "The INAM of Togo asked Belgian experts."),
        entry(
            "Support B",
            "Institut National d'Assurance Maladie (INAM)",
            "Experts from France met the INAM in Lomé, Togo.",
        ),
        entry(
            "Support C",
            "Employment Office [Agence Nationale pour l'Emploi]",
            "The ANPE of Benin asked experts from Spain.",
        ),
        entry(
            "Support D",
            "Agence Nationale pour l'Emploi",
            "The agency of Benin trained advisers with experts from Italy.",
        ),
        entry(
            "Support E",
            "National Health Insurance Institute (INAM)",
            "The INAM of Mozambique asked Portuguese experts.",
        ),
    )
    assert [f.partner_country.value for f in facts] == ["TGO", "TGO", "BEN", "BEN", "MOZ"]
    nodes = [extraction.institutions[a.key][0] for a in merged.actions]
    assert nodes[0] is nodes[1] and nodes[2] is nodes[3] and nodes[4] is not nodes[0]  # never across countries
    assert {n.name for n in nodes[0].names} == {
        "National Health Insurance Institute",
        "Institut National d'Assurance Maladie",
    }
    merges = sorted(a.detail for a in extraction.anomalies if a.kind == "institutions-merged")
    assert len(merges) == 2
    assert any("(TGO)" in m and "share the acronym INAM in TGO" in m for m in merges)
    assert any("(BEN)" in m and "is the original-language name of the other" in m for m in merges)


def test_a_generic_name_carries_no_country_to_another_action_unless_a_text_names_it_with_its_country():
    facts, _, _ = facts_of(
        entry("Support A", "Ministry of Social Affairs", "Palestinian workers were met by experts from Spain."),
        entry("Support B", "Ministry of Social Affairs", "Experts from Cyprus trained the supervisors in Tripoli."),
        entry(
            "Support C",
            "Ministry of Labour and Social Welfare",
            "The Ministry of Labour and Social Welfare of Montenegro asked experts from Spain.",
        ),
        entry("Support D", "Ministry of Labour and Social Welfare", "Experts from France drafted a method."),
    )
    assert [f.partner_country.value if f.partner_country else None for f in facts] == ["PSE", None, "MNE", "MNE"]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The workshop was co-organised with the CARICOM Secretariat and the OECS.", ["CARICOM", "OECS"]),
        ("It was presented to the Central American Integration System (SICA).", ["SICA"]),
        ("The Pan American Health Organization and the OSCE took part.", ["OSCE", "PAHO"]),
        ("The study was funded by Irish Aid and KOICA.", ["Irish Aid", "KOICA"]),
        ("The Pacific Islands Forum Secretariat hosted the meeting.", ["Pacific Islands Forum Secretariat"]),
        (
            "Findings were shared with the Organisation of Ibero-American States for Education, Science and Culture.",
            ["OEI"],
        ),
    ],
)
def test_regional_and_bilateral_organisations_are_found_by_the_name_they_are_known_by(sentence, expected):
    assert values(one(sentence).organisations) == expected


@pytest.mark.parametrize(
    ("sentence", "partner", "expected"),
    [
        # a regional body no list holds, read by the acronym the text gives it
        ("Rules were aligned with the Andean Labour Mobility Council (ALMC).", "Ministry of Labour", ["ALMC"]),
        # a body inside a known one's name is that body, not the known one
        ("The ASEAN Pension Regulators Network (APRN) reviewed the draft.", "Ministry of Labour", ["APRN"]),
        # a known body's short acronym, read only when listed with another organisation
        ("The fair was run with the support of UNDP and WTO.", "Ministry of Labour", ["UNDP", "WTO"]),
        ("The WTO rules were not discussed.", "Ministry of Labour", []),
        # a national body with an acronym is no cooperating organisation; the partner is none either
        ("The National Employment Agency (NEA) and its staff took part.", "Ministry of Labour", []),
        ("The CARICOM Institute of Labour Studies (CILS) asked for a review.", "CARICOM Institute of Labour Studies "
         "(CILS)", []),
    ],
)
def test_bodies_read_by_the_acronym_the_text_defines_or_a_short_one_listed_with_a_known_body(sentence, partner, expected):
    assert values(one(sentence, partner=partner).organisations) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # a donor's home country, in or next to its agency's name
        (
            "Papua New Guinea has no social pension. The work was discussed with the Australian Department of "
            "Foreign Affairs and Trade (DFAT), main development partner of the country.",
            "PNG",
        ),
        (
            "Experts from Slovenia worked in Vientiane with the Swiss Agency for Development and Cooperation (SDC), "
            "which funds the project.",
            "LAO",
        ),
        ("The Korean KOICA financed the pilot in Tashkent, Uzbekistan.", "UZB"),
        # the seat of a regional office, destinations of migrants, neighbours, a country's name in another word
        (
            "The Ministry of Labour of Palestine chairs the committee. The ILO Regional Office for Arab States in "
            "Beirut followed the process.",
            "PSE",
        ),
        ("Many Lao workers are working in Thailand; the Ministry in Vientiane wants to recognise their skills.", "LAO"),
        ("Many young workers leave for Malaysia every year. The ministry in Kathmandu asked for advice.", "NPL"),
        ("Costa Rican workers claim the benefit. It was discussed with the ILO Decent Work Team and Office for "
         "Central America, based in Panama City, and with the secretariat of SICA.", "CRI"),
        ("Brazil nut harvesting employs many workers. The Bolivian ministry asked for advice.", "BOL"),
        ("Unlike neighbouring Colombia, the Ministry of Labour of Ecuador has no such register.", "ECU"),
        # a donor so called in an aside after its institution; workers sent abroad; a province named like a country
        ("Japan's International Cooperation Agency, the fund's largest donor, met the board in Dhaka.", "BGD"),
        ("Plantations in East New Britain employ many workers in the country.", "PNG"),
    ],
)
def test_donors_regional_seats_migrant_destinations_and_neighbours_are_not_the_partner(description, expected):
    facts = one(description, partner="Ministry of Labour")
    assert facts.partner_country is not None and facts.partner_country.value == expected


@pytest.mark.parametrize(
    ("title", "sentence", "theme", "cue"),
    [
        (
            "Social insurance for market traders",
            "Experts helped the fund design contribution classes for market traders and domestic workers.",
            "informal-economy",
            "'market traders'",
        ),
        (
            "Reviewing the proxy means test",
            "Two experts re-estimated the weights of the proxy means test with the ministry's statisticians.",
            "cash-transfers",
            "'proxy means test'",
        ),
        (
            "Inspection of plantations",
            "Two inspectors drafted an inspection guide for plantations with the labour officers of the districts.",
            "labour-law-inspection",
            "'labour officers'",
        ),
    ],
)
def test_the_vocabulary_of_informal_work_targeting_and_inspection_names_its_theme(title, sentence, theme, cue):
    themes = themes_of(one(sentence, title=title))
    assert theme in themes and cue in themes[theme]


@pytest.mark.parametrize(
    ("title", "sentence", "theme", "cue"),
    [
        (
            "Grants for senior citizens in rural districts",
            "Two experts advised the ministry on paying senior citizens at village pay points.",
            "older-persons",
            "'senior citizens'",
        ),
        (
            "Reasonable accommodation in the civil service",
            "Experts helped the agency write guidance on reasonable accommodation and assistive devices.",
            "disability",
            "'reasonable accommodation'",
        ),
        (
            "Support to small businesses run by rural women",
            "A Spanish expert reviewed the ministry's support to small businesses and micro-enterprises.",
            "entrepreneurship",
            "'small businesses'",
        ),
        (
            "Data sharing between the tax office and the pension fund",
            "Experts proposed rules for data sharing and data quality checks between the two bodies.",
            "digitalisation-data",
            "'data sharing'",
        ),
        (
            "Labour force survey and employer survey",
            "Two statisticians helped the observatory plan a labour force survey and an employer survey.",
            "labour-market-information",
            "'labour force survey'",
        ),
        (
            "Social security rights of returning migrants",
            "Experts advised on how workers returning from years abroad can count their periods of work.",
            "migration",
            "'returning migrants'",
        ),
        (
            "Risk assessment in quarries",
            "An inspector and a mining engineer drafted a risk assessment checklist for quarries.",
            "occupational-safety-health",
            "'risk assessment'",
        ),
        (
            "Faster handling of work injury claims",
            "Experts mapped how the fund handles the claims of injured workers.",
            "employment-injury",
            "'work injury'",
        ),
        (
            "Retraining workers of closing coal mines",
            "Two experts advised the agency on retraining and reskilling courses for former miners.",
            "vocational-training-skills",
            "'retraining'",
        ),
        (
            "Gender mainstreaming in the labour ministry",
            "Experts trained the ministry's staff in gender mainstreaming and gender-responsive budgeting.",
            "gender",
            "'gender mainstreaming'",
        ),
        (
            "Child workers on tea estates",
            "Experts helped the inspectorate plan visits to find child workers and underage workers on estates.",
            "child-labour",
            "'child workers'",
        ),
        (
            "Queues and client satisfaction in local offices",
            "Experts helped the agency set service standards and measure waiting times in its offices.",
            "public-administration",
            "'client satisfaction'",
        ),
        (
            "Costing the maternity benefit",
            "Two actuaries projected the cost of the maternity benefit and of sickness benefits for the fund.",
            "social-protection",
            "'maternity benefit'",
        ),
        (
            "Capitation for rural clinics",
            "Experts compared capitation and fee-for-service payment of clinics with the insurer's staff.",
            "health-insurance",
            "'Capitation'",
        ),
        (
            "Paying pensions through mobile money",
            "Experts advised the agency on moving payments to mobile money and on the safeguards it needs.",
            "digitalisation-data",
            "'mobile money'",
        ),
        (
            "Registering day labourers in agriculture",
            "Experts helped the ministry register day labourers and casual workers on farms.",
            "informal-economy",
            "'day labourers'",
        ),
        (
            "Monitoring a public works scheme",
            "Experts proposed indicators for the public works programme and its wage subsidies.",
            "employment",
            "'public works'",
        ),
        (
            "Contributions to the provident fund",
            "Compliance officers of the provident fund were trained by two experts in employer audits.",
            "pensions",
            "'provident fund'",
        ),
        (
            "Prevention of occupational risks in ports",
            "Experts helped the prevention unit plan risk prevention visits to dock companies.",
            "occupational-safety-health",
            "'risk prevention'",
        ),
        (
            "A quarterly labour market bulletin",
            "Experts helped the observatory choose the indicators of a labour market bulletin.",
            "labour-market-information",
            "'labour market bulletin'",
        ),
    ],
)
def test_the_vocabulary_of_each_field_names_its_theme(title, sentence, theme, cue):
    themes = themes_of(one(sentence, title=title))
    assert theme in themes and cue in themes[theme]
