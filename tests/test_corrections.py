"""Corrections: a corrections file beside the seeds (one line of it appended by `socieux-kg correct`)
is applied by a real build, and the actions table, the graph with its curation evidence, the build
report and a network page's side panel all show it; every bad file stops the build at its line and
leaves the outputs as they were; the panel's "correct this" copies a command that, run as it is,
appends the line `correct` appends. The seeds are built once with the corrections, for the module."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shlex
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from graph.namespaces import ID, SOCX
from tests.conftest import SEED_FILES, invoke

HEADER = "action,field,change,value,reason,by,date"
OBSERVER = "Advice for equal employment opportunities of people with disabilities"
DATA_ACTION = "Advice on Integration of data on labour market demand for improved evidence-based policy making"
FMLE = "Building capacity in the FMLE to increase employers’ awareness, understanding and engagement to their labour intermediation services"
PROSPERITY = "Capacity building of the Social Prosperity Department"
SUB_DIRECTORATE = "General Sub-Directorate for Overcoming Poverty - Social Prosperity agency"
THEME_REASON = "It builds a labour market information system, the core of the action"
# written by hand before `correct` appends the theme (line 10)
WRITTEN = f"""{HEADER}
# observers are not deployed experts
{OBSERVER},expert_countries,remove,Romania,"The Romanian participant observed, she was not deployed",Ana Ruiz,2026-03-02
"{FMLE}",partner_country,set,Nigeria,The FMLE is Nigeria's federal labour ministry,Ana Ruiz,2026-03-02
{PROSPERITY},assistance_types,add,Information management systems,The page lists no type; the report names an MIS,Ana Ruiz,2026-03-03
{PROSPERITY},year,set,2021,Started in 2021 according to the final report,Ana Ruiz,2026-03-03
{PROSPERITY},partner_institution,remove,Social Prosperity agency,The sub-directorate is the partner,Ana Ruiz,2026-03-03
{PROSPERITY},partner_institution,add,General Sub-Directorate for Overcoming Poverty - Social Prosperity agency,The sub-directorate is the partner,Ana Ruiz,2026-03-03
{OBSERVER},expert_countries,add,ESP,Spanish experts worked on it,Ana Ruiz,2026-03-04
"""
THEME_LINE = 10


def correct(graph_file: Path, target: Path, *args: str):
    """`socieux-kg correct ARGS` against a build, appending to ``target``."""
    return invoke("correct", *args, "--corrections", target, "--graph", graph_file)


def action_iri(graph: Graph, title: str) -> URIRef:
    (found,) = [s for s in graph.subjects(DCTERMS.title, None) if str(graph.value(s, DCTERMS.title)) == title]
    return found


@pytest.fixture(scope="module")
def project(tmp_path_factory, built_project) -> Path:
    """seeds/ with corrections.csv (its last line appended by `correct`, checked against the seed
    build), built with `socieux-kg build` into exports/."""
    folder = tmp_path_factory.mktemp("corrected")
    (folder / "seeds").mkdir()
    for path in SEED_FILES:
        shutil.copy(path, folder / "seeds" / path.name)
    (folder / "seeds" / "corrections.csv").write_text(WRITTEN, encoding="utf-8")
    appended = invoke(
        "correct", DATA_ACTION, "themes", "--add", "digitalisation and data systems", "--reason", THEME_REASON,
        "--by", "Ben Okafor", "--date", "2026-03-05", "--graph", built_project.exports / "socieux.ttl", cwd=folder,
    )  # fmt: skip
    assert appended.returncode == 0, appended.stderr
    assert f"seeds/corrections.csv:{THEME_LINE}:" in appended.stdout
    done = invoke("build", cwd=folder)
    assert done.returncode == 0, done.stderr
    assert "curated: 7 corrections applied" in done.stderr and "1 redundant" in done.stderr
    return folder


@pytest.fixture(scope="module")
def graph(project) -> Graph:
    return Graph().parse(project / "exports" / "socieux.nt", format="nt")


def table(project) -> dict[str, dict[str, str]]:
    done = invoke("query", "actions", "--format", "csv", cwd=project)
    return {row["title"]: row for row in csv.DictReader(io.StringIO(done.stdout))}


def test_correct_appends_the_line_as_the_table_shows_its_values(project):
    lines = (project / "seeds" / "corrections.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == THEME_LINE
    assert (
        lines[-1] == f'{DATA_ACTION},themes,add,Digitalisation and data systems,"{THEME_REASON}",Ben Okafor,2026-03-05'
    )


def test_the_actions_table_shows_the_corrections(project, built_project):
    before, after = table(built_project.folder), table(project)
    assert "ROU" in before[OBSERVER]["expert_countries"].split(" | ")
    assert after[OBSERVER]["expert_countries"] == "ESP | FRA"
    assert "Digitalisation and data systems" not in before[DATA_ACTION]["themes"]
    themes = [t for t in before[DATA_ACTION]["themes"].split(" | ") if t]
    assert after[DATA_ACTION]["themes"] == " | ".join(sorted([*themes, "Digitalisation and data systems"]))
    assert (before[FMLE]["partner_country"], after[FMLE]["partner_country"]) == ("", "NGA")
    assert after[PROSPERITY]["assistance_types"] == "Information management systems"
    assert before[PROSPERITY]["partner_institution"] == "Social Prosperity agency"
    assert after[PROSPERITY]["partner_institution"] == SUB_DIRECTORATE
    others = [t for t in after if t not in (OBSERVER, DATA_ACTION, FMLE, PROSPERITY)]
    assert all(after[t] == before[t] for t in others)


def test_a_curated_fact_carries_its_curation_as_evidence(graph, project):
    action = action_iri(graph, DATA_ACTION)
    theme = URIRef(ID + "theme/digitalisation-data")
    assert (action, SOCX.theme, theme) in graph
    (evidence,) = [e for e in graph.objects(action, SOCX.evidence) if graph.value(e, RDF.object) == theme]
    assert set(graph.objects(evidence, RDF.type)) == {SOCX.Evidence, SOCX.Curation}
    assert graph.value(evidence, RDF.predicate) == SOCX.theme
    assert graph.value(evidence, SOCX.rule) == Literal("curation")
    assert graph.value(evidence, SOCX.reason) == Literal(THEME_REASON)
    assert graph.value(evidence, DCTERMS.date) == Literal("2026-03-05", datatype=XSD.date)
    assert (graph.value(evidence, SOCX.sourceFile), graph.value(evidence, SOCX.line)) == (
        Literal("corrections.csv"),
        Literal(THEME_LINE),
    )
    person = graph.value(evidence, PROV.wasAttributedTo)
    assert person == URIRef(ID + "person/ben-okafor")
    assert graph.value(person, RDFS.label) == Literal("Ben Okafor") and (person, RDF.type, PROV.Person) in graph
    assert graph.value(evidence, SOCX.sentence) is None  # it was read from no text
    # the evidence query lists it with the others, its reason as the sentence
    done = invoke("query", "evidence", "--format", "json", cwd=project)
    curated = [r for r in json.loads(done.stdout) if r["rule"] == "curation"]
    assert (DATA_ACTION, "theme", THEME_REASON, "corrections.csv", THEME_LINE) in {  # the line a JSON number
        (r["title"], r["property"], r["sentence"], r["file"], r["line"]) for r in curated
    }


def test_a_removed_fact_leaves_the_graph_with_its_evidence(graph):
    action = action_iri(graph, OBSERVER)
    romania = URIRef("http://publications.europa.eu/resource/authority/country/ROU")
    assert (action, SOCX.expertCountry, romania) not in graph
    assert not [e for e in graph.objects(action, SOCX.evidence) if graph.value(e, RDF.object) == romania]


def test_a_partner_country_set_by_hand_moves_the_institution_to_it(graph):
    action = action_iri(graph, FMLE)
    nigeria = URIRef("http://publications.europa.eu/resource/authority/country/NGA")
    assert graph.value(action, SOCX.partnerCountry) == nigeria
    institution = graph.value(action, SOCX.partnerInstitution)
    assert graph.value(institution, SOCX.country) == nigeria


def test_a_year_a_type_and_a_partner_institution_set_by_hand(graph):
    action = action_iri(graph, PROSPERITY)
    assert graph.value(action, SOCX.actionYear) == Literal("2021", datatype=XSD.gYear)
    typed = graph.value(action, SOCX.assistanceType)
    assert str(typed).startswith(ID + "assistance-type/")
    (partner,) = graph.objects(action, SOCX.partnerInstitution)
    assert str(graph.value(partner, SKOS.prefLabel)) == SUB_DIRECTORATE
    assert str(graph.value(action, SOCX.partnerInstitutionName)) == SUB_DIRECTORATE
    rules = {
        graph.value(e, RDF.predicate): str(graph.value(e, SOCX.rule)) for e in graph.objects(action, SOCX.evidence)
    }
    assert {rules[p] for p in (SOCX.actionYear, SOCX.assistanceType, SOCX.partnerInstitution)} == {"curation"}
    # the agency the page named is the partner of no action now: it left the graph
    assert not [
        s
        for s in graph.subjects(SKOS.prefLabel, None)
        if str(graph.value(s, SKOS.prefLabel)) == "Social Prosperity agency"
    ]


def test_the_build_report_lists_applied_removed_and_redundant_corrections(project):
    report = json.loads((project / "exports" / "build-report.json").read_text(encoding="utf-8"))
    corrections = report["corrections"]
    assert [(c["line"], c["field"], c["change"]) for c in corrections["applied"]] == [
        (3, "expert_countries", "remove"),
        (4, "partner_country", "set"),
        (5, "assistance_types", "add"),
        (6, "year", "set"),
        (7, "partner_institution", "remove"),
        (8, "partner_institution", "add"),
        (THEME_LINE, "themes", "add"),
    ]
    removed, agency = corrections["removed"]
    assert (removed["title"], removed["shown"], removed["by"]) == (OBSERVER, "ROU", "Ana Ruiz")
    assert removed["reason"] == "The Romanian participant observed, she was not deployed"
    assert "Experts from Spain, Romania and France" in removed["evidence"][0]
    assert (agency["shown"], agency["evidence"]) == (
        "Social Prosperity agency",
        ["partner line (000_aecc4522525af03b.txt:1322)"],
    )
    (redundant,) = corrections["redundant"]
    assert (redundant["line"], redundant["shown"]) == (9, "ESP") and "already has" in redundant["note"]
    assert report["counts"]["corrections_applied"] == 7 and report["counts"]["facts_removed_by_corrections"] == 2
    markdown = (project / "exports" / "build-report.md").read_text(encoding="utf-8")
    assert "### Facts removed by corrections" in markdown
    assert "expert_countries ROU of 'Advice for equal employment" in markdown and "removed by Ana Ruiz" in markdown
    assert "### Redundant corrections" in markdown


def test_the_curated_graph_conforms_and_a_curation_without_a_reason_does_not(graph):
    from graph.rdf.validate import validate

    # (the build validated the graph: it exits 1 on a graph that does not conform)
    broken = Graph()
    for triple in graph:
        broken.add(triple)
    broken.remove((None, SOCX.reason, None))
    conforms, violations = validate(broken)
    assert not conforms and {v.focus for v in violations} == {str(e) for e in graph.subjects(SOCX.reason, None)}


def test_a_rebuild_of_the_documents_applies_the_corrections_beside_them_the_same(project, tmp_path):
    documents = [f"seeds/{path.name}" for path in SEED_FILES]
    done = invoke("build", *documents, "--out", tmp_path, "--no-network", "--no-validate", "--quiet", cwd=project)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "socieux.nt").read_bytes() == (project / "exports" / "socieux.nt").read_bytes()


# ---------------------------------------------------------------- bad corrections files

GOOD = f"{OBSERVER},expert_countries,remove,ROU,an observer,Ana Ruiz,2026-03-02"
BAD = {
    "unknown action": (
        f"{GOOD}\nNo such action at all,themes,add,Pensions,why,Ana,2026-03-02",
        3,
        "no action has the title",
    ),
    "unknown code": (f"{GOOD}\n2099-99,themes,add,Pensions,why,Ana,2026-03-02", 3, "no action has the code 2099-99"),
    "unknown field": (
        f"{GOOD}\n{OBSERVER},theme,add,Pensions,why,Ana,2026-03-02",
        3,
        "unknown field 'theme' (did you mean themes?)",
    ),
    "unknown value": (
        f"{OBSERVER},expert_countries,add,Atlantis,why,Ana,2026-03-02",
        2,
        "'Atlantis' is no known country",
    ),
    "malformed line": (
        f"{OBSERVER},expert_countries,remove,ROU,an observer, not an expert,Ana,2026-03-02",
        2,
        "expected 7 fields",
    ),
    "bad date": (f"{OBSERVER},expert_countries,remove,ROU,why,Ana,2 March 2026", 2, "is not an ISO date"),
    "add to a single field": (f"{OBSERVER},partner_country,add,PER,why,Ana,2026-03-02", 2, "use set"),
    "contradiction": (
        f"{GOOD}\n# a second thought\n{OBSERVER},expert_countries,add,Romania,why,Ben,2026-03-03",
        4,
        "contradicts line 2",
    ),
    "two sets": (
        f'"{FMLE}",partner_country,set,NGA,a,Ana,2026-03-02\n"{FMLE}",partner_country,set,GHA,b,Ben,2026-03-02',
        3,
        "contradicts line 2",
    ),
    "no header": (GOOD, 1, "the first line must be the header"),
}


@pytest.fixture(scope="module")
def previous_outputs(tmp_path_factory, built_project) -> Path:
    """An output folder holding a previous build's files."""
    out = tmp_path_factory.mktemp("previous") / "exports"
    out.mkdir()
    for name in ("socieux.ttl", "socieux.nt", "build-report.md"):
        shutil.copy(built_project.exports / name, out / name)
    return out


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_correction_stops_the_build_at_its_line(case, tmp_path, previous_outputs):
    text, line, message = BAD[case]
    if not text.startswith(HEADER) and case != "no header":
        text = f"{HEADER}\n{text}"
    fixes = tmp_path / "fixes.csv"
    fixes.write_text(text + "\n", encoding="utf-8")
    before = digest(previous_outputs)
    done = invoke("build", *SEED_FILES, "--corrections", fixes, "--out", previous_outputs)
    assert done.returncode == 1
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith(f"socieux-kg: error: {fixes}:{line}: ") and message in error, error
    assert "Traceback" not in done.stderr
    assert digest(previous_outputs) == before
    if case not in ("unknown code", "contradiction", "two sets", "unknown action"):
        assert "read 000_" not in done.stderr  # before the documents were read


def test_a_missing_corrections_file_is_an_error(tmp_path):
    done = invoke("build", *SEED_FILES, "--corrections", tmp_path / "nothere.csv", "--out", tmp_path / "out")
    assert done.returncode == 1 and "nothere.csv: no such corrections file" in done.stderr
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- correct: what it refuses


@pytest.mark.parametrize(
    "args, message",
    [
        ((OBSERVER, "expert_countries", "--add", "Spain"), "nothing to correct: the build already has ESP"),
        ((OBSERVER, "expert_countries", "--remove", "Peru"), "holds no PER (ESP, FRA, ROU)"),
        (("Advice for equal employment", "themes", "--add", "Pensions"), "no action has the title"),
        ((OBSERVER, "themes", "--add", "Pensionz"), "the closest: Pensions"),
        ((OBSERVER, "partner_country", "--add", "PER"), "use set"),
    ],
)
def test_correct_refuses_what_the_build_would_not_apply(args, message, tmp_path, built_project):
    target = tmp_path / "corrections.csv"
    done = correct(built_project.exports / "socieux.ttl", target, *args, "--reason", "why")
    assert done.returncode == 1 and message in done.stderr, done.stderr
    assert not target.exists()


def test_correct_refuses_a_contradiction_with_the_file(tmp_path, built_project):
    target = tmp_path / "corrections.csv"
    target.write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    graph = built_project.exports / "socieux.ttl"
    again = correct(graph, target, OBSERVER, "expert_countries", "--remove", "Romania", "--reason", "x")
    assert again.returncode == 1 and f"{target}:2 already holds this correction" in again.stderr
    back = correct(graph, target, OBSERVER, "expert_countries", "--add", "ROU", "--reason", "x")
    assert back.returncode == 1 and f"contradicts {target}:2" in back.stderr
    assert target.read_text(encoding="utf-8") == f"{HEADER}\n{GOOD}\n"


# ---------------------------------------------------------------- the network page


@pytest.fixture(scope="module")
def panel(project):
    """The full view of the corrected build in headless Chromium, offline, allowed to use the clipboard."""
    from playwright.sync_api import sync_playwright

    from bench.views import launch, open_offline

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        context, refused = open_offline(chromium)
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto((project / "exports" / "views" / "full.html").as_uri())
        page.wait_for_function("document.body.dataset.ready === 'yes'")
        yield page
        assert errors == [] and refused == []
        context.close()
        chromium.close()


def open_facts(page, title: str) -> str:
    """Show an action's node in the panel and open its facts; their text."""
    page.evaluate(
        """title => {
            const view = window.socieuxView, data = view.data;
            const own = data.actions.findIndex(a => data.texts[a[0]] === title);
            view.showNode(data.nodes.findIndex(n => n.own === own));
        }""",
        title,
    )
    page.click("#panel li.action .title")
    return page.inner_text("#panel .facts")


def test_the_panel_shows_a_curated_fact_with_its_reason_and_no_removed_one(panel):
    facts = open_facts(panel, DATA_ACTION)
    assert "Digitalisation and data systems" in facts
    assert f"Corrected by Ben Okafor on 2026-03-05: {THEME_REASON}" in facts
    assert f"corrections.csv:{THEME_LINE}" in facts
    facts = open_facts(panel, OBSERVER)
    assert "Romania" not in facts.split("expert country")[1].split("\n")[1]
    assert "France correct this" in facts and "Spain correct this" in facts


def test_the_copied_command_run_as_is_appends_the_line_correct_appends(panel, project, tmp_path):
    open_facts(panel, OBSERVER)
    france = panel.locator("#panel .facts span.value", has_text="France")
    france.locator("a.correct-this").click()
    box = panel.locator("#panel .correct-box")
    assert box.locator("button.copy").is_disabled()  # no command without a reason
    box.locator("input.reason").fill("The French expert's part was a one-day visit")
    box.locator("button.copy").click()
    panel.wait_for_function("document.querySelector('#panel .correct-box').dataset.copied")
    copied = panel.evaluate("navigator.clipboard.readText()")
    words = shlex.split(copied)
    assert words[:2] == ["socieux-kg", "correct"]
    # run as is where the project's build is, with no corrections file of its own yet
    here = tmp_path / "here"
    (here / "seeds").mkdir(parents=True)
    (here / "exports").symlink_to(project / "exports")
    assert invoke(*words[1:], cwd=here).returncode == 0
    typed = invoke(
        "correct", OBSERVER, "expert_countries", "--remove", "France", "--reason",
        "The French expert's part was a one-day visit", "--corrections", tmp_path / "typed.csv",
        "--graph", project / "exports" / "socieux.ttl",
    )  # fmt: skip
    assert typed.returncode == 0, typed.stderr
    ran = (here / "seeds" / "corrections.csv").read_text(encoding="utf-8")
    assert ran == (tmp_path / "typed.csv").read_text(encoding="utf-8")
    assert ran.splitlines()[0] == HEADER and ran.splitlines()[1].startswith(f"{OBSERVER},expert_countries,remove,FRA,")


def test_the_copied_command_names_an_action_with_a_year_by_its_title(panel):
    """The page's rows hold the year before the reference a correction names the action by: the
    command must take the reference, never the year."""
    title = "Contribution to the National Social Security Policy Round Table in Kenya"  # a year from a sentence
    open_facts(panel, title)
    panel.locator("#panel .facts span.value", has_text="France").locator("a.correct-this").click()
    box = panel.locator("#panel .correct-box")
    box.locator("input.reason").fill("checking the command")
    box.locator("button.copy").click()
    panel.wait_for_function("document.querySelector('#panel .correct-box').dataset.copied")
    words = shlex.split(panel.evaluate("navigator.clipboard.readText()"))
    assert words[2:6] == [title, "expert_countries", "--remove", "FRA"]


# ---------------------------------------------------------------- partner countries and institutions

TWO_ACTIONS = """
  • Support to the pension fund of the highlands

    Institute of Rural Pensions
    Policy development
    The Institute of Rural Pensions of Peru asked for advice on its benefit formula. Experts from Spain mobilised by SOCIEUX+ reviewed it.
  • Second review of rural pension benefits

    Institute of Rural Pensions
    Policy development
    The institute asked for a second look at the benefit formula. Experts from Portugal mobilised by SOCIEUX+ took part.
"""


@pytest.mark.parametrize(
    "line, first, second",
    [
        ("Second review of rural pension benefits,partner_country,remove,PER", "PER", None),
        ("Support to the pension fund of the highlands,partner_country,set,Bolivia", "BOL", "BOL"),
    ],
)
def test_an_institution_follows_the_partner_country_a_correction_decides(line, first, second, tmp_path):
    """The second action has Peru from the first (the same institution); a correction that removes
    it is not undone by that, and one that moves the first to Bolivia moves both (and the institution)."""
    from graph.build import build
    from tests.conftest import write

    document = write(tmp_path, "rural.txt", TWO_ACTIONS)
    plain = build([document], validate=False).report.extraction
    assert sorted(f.partner_country.rule for f in plain.facts.values()) == [
        "institution-of-country",
        "same-institution",
    ]
    fixes = write(tmp_path, "fixes.csv", f"{HEADER}\n{line},the partner is elsewhere,Ana,2026-03-02\n")
    result = build([document], validate=True, corrections=[fixes])
    assert result.report.conforms
    countries = {}
    for action in result.report.merged.actions:
        found = result.report.extraction.facts[action.key].partner_country
        (institution,) = result.report.extraction.institutions[action.key]
        countries[action.title] = (found.value if found else None, institution.country)
    assert countries == {
        "Support to the pension fund of the highlands": (first, first),
        "Second review of rural pension benefits": (second, second),
    }


def test_the_documented_correct_example_is_what_correct_prints(built_project, tmp_path):
    from tests.test_readme import examples, shape

    line, shown = examples("socieux-kg correct ", "docs/corrections.md")[0]
    (tmp_path / "seeds").mkdir()
    (tmp_path / "exports").symlink_to(built_project.exports)
    done = invoke(*shlex.split(line)[1:], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert shape(done.stdout + done.stderr) == shape(shown)  # as a terminal shows them: the line, then the hint
