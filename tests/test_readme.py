"""The examples of the README and of the pages under docs/ run, and print what they show: the same
lines, words, columns and rows. Numbers are left out of the comparison: an improvement of the
extraction changes counts and scores, and must not break a test; the figures are refreshed from a
build when they do. Every command line shown names real commands and options, and every relative
link leads to a file (and a heading) that exists."""

from __future__ import annotations

import re
import shlex

import click
import pytest

from graph.cli import VIEW_NAMES, main
from tests.conftest import ROOT, invoke
from tests.test_cli import HEADER

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCS = {path: path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]}
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def page(name: str) -> str:
    """The text of README.md or of docs/NAME."""
    return DOCS[ROOT / name]


def shape(text: str) -> list[str]:
    """The lines of some output without their numbers and column padding: what must match."""
    lines = []
    for line in text.strip().splitlines():
        line = " ".join(NUMBER.sub("#", line).split())
        lines.append(re.sub(r"^[- ]+$", "---", line) if set(line) <= {"-", " "} and line else line)
    return lines


def examples(command: str, *names: str) -> list[tuple[str, str]]:
    """Every example of ``$ COMMAND`` in the README and docs/*.md (or in the pages ``names``): each
    one's command line (up to its closing quote for quoted SPARQL) and the output shown after it, up
    to the end of its block."""
    texts = [page(name) for name in names] if names else list(DOCS.values())
    found = [example(text, at.start()) for text in texts for at in re.finditer(re.escape(f"$ {command}"), text)]
    assert found, command
    return found


def example(text: str, start: int) -> tuple[str, str]:
    """The example of ``text`` that starts at ``start`` (``$ ...``): its command line and output."""
    end = text.index("\n```", start)
    block = text[start + 2 : end]
    if "'" in block.split("\n", 1)[0]:  # a quoted argument over several lines
        close = block.index("'", block.index("'") + 1)
        newline = block.index("\n", close)
        return block[:newline], block[newline + 1 :]
    first, _, rest = block.partition("\n")
    return first, rest


def run(args: list[str], cwd) -> str:
    """Run the command line in this process (the real click commands), in ``cwd``: what it prints."""
    done = invoke(*args, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_query_page_states_the_actions_contract():
    assert f"\n{HEADER}\n" in page("docs/queries.md")


def test_readme_starts_with_the_two_commands():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.S)
    assert commands[0].endswith("socieux-kg build")
    assert commands[1].endswith("python -m pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_build_example_is_what_a_build_prints(built_project):
    """Each line shown is printed, in order (the example leaves some out: "...")."""
    printed = shape(built_project.done.stderr + built_project.done.stdout)
    for _, shown in examples("socieux-kg build\n", "docs/outputs.md"):
        at = 0
        for line in shape(shown):
            if line == "...":
                continue
            assert line in printed[at:], line
            at = printed.index(line, at) + 1


def test_the_site_example_is_what_site_prints(built_project, tmp_path):
    """docs/site.md's run of ``site``, in a folder whose exports/ is the seed build's: its lines, in
    order (the progress on stderr, the summary on stdout)."""
    (tmp_path / "exports").symlink_to(built_project.exports)
    for line, shown in examples("socieux-kg site --out site", "docs/site.md"):
        done = invoke(*shlex.split(line.split("  #", 1)[0])[1:], cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        printed = shape(done.stderr + done.stdout)
        lines = [each for each in shape(shown) if not each.startswith("$ ")]  # up to the next command
        assert lines and lines == printed[: len(lines)], (lines, printed)


@pytest.mark.parametrize("command", ["socieux-kg query themes --limit 3", "socieux-kg query 'PREFIX"])
def test_query_examples_print_what_they_show(built_project, command):
    for line, shown in examples(command):
        printed = run(shlex.split(line)[1:], built_project.folder)
        assert shape(printed) == shape(shown)


def test_every_query_command_of_the_usage_block_runs(built_project):
    queries = page("docs/queries.md")
    start = queries.index("$ socieux-kg query --list")
    block = queries[start : queries.index("\n```", start)]
    ran = 0
    for line in block.splitlines():
        args = shlex.split(line.split("  #", 1)[0].removeprefix("$ "))[1:]
        if any(a.endswith(".rq") for a in args):
            continue  # the user's own query file
        run([a.replace("exports/socieux.nt", "exports/socieux.ttl") for a in args], built_project.folder)
        ran += 1
    assert ran >= 7


def test_the_evaluation_example_is_what_evaluate_prints():
    for line, shown in examples("socieux-kg evaluate --data tests/data/"):
        done = invoke(*shlex.split(line)[1:])
        assert done.returncode == 0, done.stderr
        assert shape(done.stdout) == shape(shown)


# a command line in a console or sh block (``$ socieux-kg ...``, environment variables before it
# allowed, continued on indented lines), or in a code span
SHOWN_LINE = re.compile(r"^\$ (?:[A-Z_]+=\S* )*(socieux-kg\b.*(?:\n {3,}\S.*)*)", re.M)
SHOWN_SPAN = re.compile(r"`(?:[A-Z_]+=\S* )*(socieux-kg [^`]*)`")
PLACEHOLDERS = "NAME FILE FILES FOLDERS DIR URL IRI VALUE N K S B VIEW ACTION FIELD OLD NEW CORPUS SPARQL TEXT WHY"
# [optional], a|b, ..., NAME placeholders: a synopsis, not a command line written out in full
SYNOPSIS = re.compile(r"[\[\]|]|\.\.\.|\b(?:" + "|".join(PLACEHOLDERS.split()) + r")\b")


def shown_command_lines() -> list[tuple[str, str]]:
    """(page, command line) for every socieux-kg command line the README and docs/*.md show."""
    shown = []
    for path, text in DOCS.items():
        name = path.relative_to(ROOT).as_posix()
        for match in SHOWN_LINE.finditer(text):
            line = match.group(1)
            if line.count("'") % 2:  # quoted SPARQL over several lines: up to its closing quote
                line = text[match.start(1) : text.index("'", text.index("'", match.start(1)) + 1) + 1]
            shown.append((name, line))
        shown.extend((name, span.replace("\\|", "|")) for span in SHOWN_SPAN.findall(text))
    return shown


def options_of(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        names.update(getattr(param, "opts", []), getattr(param, "secondary_opts", []))
    return names


def check_command_line(line: str) -> None:
    """The command line names a real command, and only options that command has; one written out in
    full (no [optional] parts, alternatives or NAME placeholders) parses as the command line would."""
    line = line.split("  #", 1)[0].strip()
    synopsis = bool(SYNOPSIS.search(line.split("'", 1)[0]))
    words = shlex.split(re.sub(r"[\[\]()|]", " ", line) if synopsis else line)[1:]
    command: click.Command = main
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        assert words[0] in command.commands, f"no command {words[0]!r} in {line!r}"
        command = command.commands[words.pop(0)]
    assert not isinstance(command, click.Group) or all(w.startswith("-") for w in words), f"{line!r} names no command"
    known = options_of(command)
    for word in words:
        if word.startswith("-") and word != "-" and not re.fullmatch(r"-\d.*", word):
            assert word.split("=", 1)[0] in known, f"{line!r}: {command.name} has no option {word}"
    if not synopsis and words and not isinstance(command, click.Group):  # with no words it is the command's name (`socieux-kg push` loads...)
        try:
            command.make_context(command.name or "", words)  # a wrong value or a missing one: an error
        except click.ClickException as error:
            raise AssertionError(f"{line!r}: {error.format_message()}") from None


def test_every_command_line_shown_names_real_commands_and_options():
    shown = shown_command_lines()
    assert len(shown) > 100 and {page for page, _ in shown} >= {"README.md", "docs/queries.md", "docs/commands.md"}
    wrong = []
    for page_name, line in shown:
        try:
            check_command_line(line)
        except AssertionError as error:
            wrong.append(f"{page_name}: {error}")
    assert not wrong, "\n".join(wrong)


def test_the_command_line_check_finds_a_wrong_command_option_or_value():
    check_command_line("socieux-kg query themes --limit 3 --format csv")
    for wrong in ("socieux-kg querry themes", "socieux-kg query themes --limitt 3", "socieux-kg viz no-such-view",
                  "socieux-kg query themes --format xls", "socieux-kg stats [--top N] [--colour]"):
        with pytest.raises(AssertionError):
            check_command_line(wrong)


def test_the_commands_page_lists_every_option_of_every_command():
    """docs/commands.md's table: a row for each command, naming each of its options and no other."""
    table = dict(re.findall(r"^\| `socieux-kg ([a-z ]+?)(?: [A-Z\[].*?)?` \| (.*?) \| .*\|$", page("docs/commands.md"), re.M))
    commands = {}
    for name, command in main.commands.items():
        subcommands = command.commands.items() if isinstance(command, click.Group) else [("", command)]
        commands.update({f"{name} {sub}".strip(): each for sub, each in subcommands})
    assert set(table) == set(commands)
    for name, command in commands.items():
        documented = set(re.findall(r"--[a-z][a-z-]*", table[name]))
        options = {o for o in options_of(command) if o.startswith("--")} - {"--help"}
        assert documented == options, (name, documented ^ options)


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown page."""
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    headings = re.findall(r"^#{1,6} (.+)$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-") for heading in headings}


def test_every_relative_link_leads_to_a_file_and_heading_that_exist():
    checked = 0
    for path, text in DOCS.items():
        for target in LINK.findall(re.sub(r"```.*?```", "", text, flags=re.S)):
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto:
            file, _, anchor = target.partition("#")
            linked = (path.parent / file).resolve() if file else path
            assert linked.exists(), f"{path.relative_to(ROOT)}: {target} leads nowhere"
            if anchor and linked.suffix == ".md":
                assert anchor in anchors(linked.read_text(encoding="utf-8")), f"{path.relative_to(ROOT)}: no #{anchor}"
            checked += 1
    assert checked > 30


def test_the_readme_shows_how_to_answer_the_four_questions_on_its_first_screen():
    """The first 50 lines: each question with the named query and the view that answer it."""
    first_screen = "\n".join(README.splitlines()[:50])
    names = {path.stem for path in (ROOT / "ontology" / "queries").glob("*.rq")}
    for question, query, view in [
        ("Which member states send experts where, on what?", "country-flows", "country-flows.html"),
        ("Which institutions come back for follow-ups?", "repeat-institutions", "action-chains.html"),
        ("Which themes grow?", "themes-by-year", "year range"),
        ("Who worked with whom?", "triangular", "expert-collaboration.html"),
    ]:
        row = next(line for line in first_screen.splitlines() if line.startswith(f"| {question} |"))
        assert f"socieux-kg query {query}" in row and query in names and view in row, question
    views = set(re.findall(r"`([a-z-]+)\.html`", first_screen))
    assert len(views) >= 4 and views <= set(VIEW_NAMES), views
