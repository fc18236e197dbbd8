"""How the extraction is run: a text repeated in several actions is read once, and each action still
gets facts with its own file and line."""

from __future__ import annotations

from graph.extract import run
from graph.read.merge import merge_documents
from graph.read.reader import DocumentReader, read_document
from tests.conftest import write

DOCUMENT = """
  • Support to the {which} employment service

    Ministry of Labour of Peru
    Policy development
    Experts from Estonia and Latvia reviewed the employment law with the ministry.
"""


OTHER = """
  • Support to the pension fund

    National Pension Fund
    Policy development
    Experts from France reviewed the investment rules of the fund.
"""


def test_a_repeated_description_is_read_once_and_its_facts_keep_each_action_s_source(tmp_path, monkeypatch):
    first = write(tmp_path, "a.txt", DOCUMENT.format(which="first"))
    second = write(tmp_path, "b.txt", OTHER + DOCUMENT.format(which="second"))
    reader = DocumentReader()
    actions = merge_documents([read_document(p, reader) for p in (first, second)], reader.matcher).actions
    assert len(actions) == 3
    read: list[tuple[str, str]] = []
    findings = run._findings

    def counting(texts):
        read.extend(texts)
        return findings(texts)

    monkeypatch.setattr(run, "_findings", counting)
    extraction = run.extract(actions, jobs=1)
    descriptions = [text for name, text in read if name == "description"]
    # three titles, two partner lines, two descriptions
    assert len(descriptions) == 2 and len(read) == 7
    sources = set()
    for action in (a for a in actions if "employment" in a.title):
        facts = extraction.facts[action.key]
        assert sorted(f.value for f in facts.expert_countries) == ["EST", "LVA"]
        assert facts.partner_country is not None and facts.partner_country.value == "PER"
        sources |= {(f.file, f.line) for f in facts.expert_countries}
    assert sources == {("a.txt", 5), ("b.txt", 11)}


def test_a_bad_document_read_while_workers_extract_stops_them_and_names_the_file(tmp_path, monkeypatch):
    """With the workers already extracting the first documents, an unreadable one later on is the
    usual one-line error, and no worker process is left behind."""
    import multiprocessing
    import shutil

    import pytest

    from graph.build import build
    from graph.errors import InputError
    from tests.conftest import SEED_FILES

    for path in SEED_FILES:
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "zz-broken.txt").write_bytes(SEED_FILES[1].read_bytes() + b"\x00\x01")
    from graph import workers

    monkeypatch.setattr(workers, "PARALLEL_BYTES", 0)  # workers whatever the size
    before = set(multiprocessing.active_children())
    with pytest.raises(InputError, match=r"zz-broken\.txt:\d+: binary data"):
        build([tmp_path], validate=False, jobs=2)
    assert set(multiprocessing.active_children()) <= before
