"""A catalogue of malformed documents, each with its asserted outcome: read with named warnings, or
a one-line error naming the file (and line) with a non-zero exit and no traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graph.build import build
from graph.errors import InputError
from graph.read.reader import read_document
from tests.conftest import run_cli

GOOD = (
    "  • Support to the pension fund\n\n    National Pension Fund\n    Policy development\n"
    "    Experts from Austria reviewed the rules of the fund of Ghana with its actuaries.\n"
)


def doc(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


ERRORS = {
    "empty": (b"", "empty.txt: the file is empty"),
    "whitespace-only": (b" \t \n\n   \r\n", "whitespace-only.txt: the file is empty"),
    "nul-bytes": (GOOD.encode() + b"\x00\x01\x02", "nul-bytes.txt:6: binary data (NUL byte)"),
    "control-bytes": (GOOD.encode() + b"\x07\x1b[31m", "control-bytes.txt:6: binary data (control character U+0007)"),
    "latin-1": (
        "  * Réforme des retraites\n\n    Caisse Nationale\n".encode("latin-1"),
        "latin-1.txt:1: not UTF-8 text (byte 0xe9)",
    ),
    "windows-1252": (
        "  * Support\n\n    Ministry of Labour \u2013 Peru\n".encode("cp1252"),
        "windows-1252.txt:3: not UTF-8 text (byte 0x96)",
    ),
    "labels-without-values": (
        "  • A story\n\n    Start activities\n    End activities\n    Partner Institution\n    Type of Assistance\n",
        "labels-without-values.txt:1: no action entries found",
    ),
    # two lines of notes: the second is no partner, type or description, so there is no action
    "notes-only": ("Some notes.\nNothing else here.\n", "notes-only.txt:1: no action entries found"),
    "ten-megabyte-line": ("word " * 2_000_000, "ten-megabyte-line.txt:1: no action entries found"),
}


@pytest.mark.parametrize("case", sorted(ERRORS))
def test_bad_documents_give_one_line_errors(tmp_path, case):
    data, message = ERRORS[case]
    path = doc(tmp_path, f"{case}.txt", data)
    with pytest.raises(InputError) as raised:
        read_document(path)
    assert str(raised.value).startswith(f"{tmp_path}/{message}")  # the path as given
    done = run_cli("build", path, "--out", tmp_path / "out", "-q", "--no-validate", "--no-network")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"socieux-kg: error: {raised.value}"]
    assert not (tmp_path / "out" / "socieux.ttl").exists()


def read(tmp_path: Path, name: str, data: bytes | str):
    return read_document(doc(tmp_path, name, data))


def kinds(document) -> set[str]:
    return {a.kind for a in document.anomalies}


def test_utf8_bom_crlf_and_lone_cr_read_like_plain_text(tmp_path):
    plain = read(tmp_path, "plain.txt", GOOD)
    for name, data in (
        ("bom.txt", b"\xef\xbb\xbf" + GOOD.encode()),
        ("crlf.txt", GOOD.replace("\n", "\r\n")),
        ("cr.txt", GOOD.replace("\n", "\r")),
        ("tabs.txt", GOOD.replace("    ", "\t")),
    ):
        other = read(tmp_path, name, data)
        assert [(a.title.value, a.partners[0].value, a.types.value, a.description_text) for a in other.actions] == [
            (a.title.value, a.partners[0].value, a.types.value, a.description_text) for a in plain.actions
        ]
        assert sorted(r.line for r in other.lines) == sorted(r.line for r in plain.lines)


def test_document_cut_mid_entry_keeps_what_it_has(tmp_path):
    cut = GOOD + "  • A second action cut off\n\n    Ministry of Soc"
    document = read(tmp_path, "cut.txt", cut)
    assert [a.title.value for a in document.actions] == ["Support to the pension fund", "A second action cut off"]
    assert document.actions[1].partners[0].value == "Ministry of Soc"
    assert {"missing-type", "missing-description"} <= kinds(document)


def test_several_partner_lines_unknown_types_and_same_title_two_partners(tmp_path):
    text = (
        "  • Joint support\n\n    Partner Institution\n    National Employment Agency\n    Ministry of Labour\n"
        "    Type of Assistance\n    Peer learning, Policy development\n"
        "    Experts from Spain worked with both institutions on the employment of young people.\n"
        "  • Joint support\n\n    Social Security Fund\n    Policy development\n"
        "    Experts from Spain advised the fund on its contributions and its benefit rules.\n"
    )
    result = build([doc(tmp_path, "irregular.txt", text)], validate=True)
    found = {a.kind for a in result.report.anomalies}
    assert {"several-partners", "unknown-type", "duplicate-title-different-partner"} <= found
    assert len(result.report.merged.actions) == 2 and result.report.conforms


def test_html_and_markdown_pasted_in_are_removed_with_a_warning(tmp_path):
    text = (
        "## Actions\n\n  • <b>Support</b> to the **pension** fund\n\n    <p>National Pension Fund</p>\n"
        "    Policy development\n    Experts from [Austria](http://example.org) reviewed the rules &amp; the "
        "benefits of the fund of Ghana.\n"
    )
    document = read(tmp_path, "markup.txt", text)
    (action,) = document.actions
    assert action.title.value == "Support to the pension fund" and action.partners[0].value == "National Pension Fund"
    assert "Experts from Austria reviewed the rules & the benefits" in action.description_text
    assert "markup-in-text" in kinds(document)


def test_a_directory_an_empty_folder_and_a_symlink_loop(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    doc(folder, "a.txt", GOOD)
    assert len(build([folder], validate=False).report.merged.actions) == 1
    empty = tmp_path / "empty"
    empty.mkdir()
    loop = tmp_path / "loop.txt"
    os.symlink(loop, loop)
    for path, message in ((empty, "folder holds no .txt seed documents"), (loop, "loop.txt")):
        done = run_cli("build", path, "--out", tmp_path / "out", "-q")
        assert done.returncode == 1 and "Traceback" not in done.stderr and message in done.stderr
        assert len(done.stderr.strip().splitlines()) == 1


def test_errors_name_the_path_as_given(tmp_path):
    missing = tmp_path / "no" / "such" / "dir"
    done = run_cli("build", missing, "--out", tmp_path / "out", "-q")
    assert done.returncode == 1 and done.stderr.strip() == f"socieux-kg: error: {missing}: no such file"
    relative = run_cli("build", "no-such-folder/notes.txt", "--out", tmp_path / "out", "-q", cwd=tmp_path)
    assert relative.stderr.strip() == "socieux-kg: error: no-such-folder/notes.txt: no such file"


def test_an_output_folder_that_cannot_be_made_fails_before_any_work(tmp_path):
    done = run_cli("build", "seeds", "--out", "/proc/nope")  # /proc refuses new folders, even to root
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert (
        done.stderr.strip()
        .splitlines()[-1]
        .startswith("socieux-kg: error: /proc/nope: cannot create the output folder")
    )
    assert " read " not in done.stderr  # no document was read: the check came first
