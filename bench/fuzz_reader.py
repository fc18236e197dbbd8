"""Coverage-guided fuzzing (atheris) of reading, merging and extraction on arbitrary bytes.

    python bench/fuzz_reader.py -atheris_runs=200000      # or -max_total_time=120

Any exception other than the InputError that reports a bad document is a finding: atheris stops,
prints the input and writes it to crash-*; such inputs become regression tests.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["graph"]):
    from graph.errors import InputError
    from graph.extract.run import extract
    from graph.read.merge import merge_documents
    from graph.read.reader import DocumentReader, decode_bytes

READER = DocumentReader()


def test_one_input(data: bytes) -> None:
    try:
        text = decode_bytes(data, "fuzz.txt")
    except InputError:
        return
    document = READER.read(text, "fuzz.txt")
    non_blank = sum(1 for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip())
    assert len(document.lines) == non_blank, "a non-blank line was lost"
    if document.actions:
        merged = merge_documents([document], READER.matcher)
        extract(merged.actions)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
