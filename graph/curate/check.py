"""Checking one correction against a built graph and the corrections already written, for
``socieux-kg correct``: the action, the field and the value must be known, the build must not agree
already, and the file must not hold the same correction or one that contradicts it."""

from __future__ import annotations

from pathlib import Path

from graph.curate.corrections import Correction, check_cells, csv_line, next_line, read_corrections
from graph.curate.current import BuiltAction, CurrentBuild
from graph.curate.values import UnknownValue, fold, resolve
from graph.errors import InputError, SocieuxError
from graph.fields import FIELDS


def _value(build: CurrentBuild, action: BuiltAction, correction: Correction) -> tuple[str, str]:
    """(what the fact holds, what the table shows) for a correction's value."""
    if correction.field == "partner_institution":
        institution = build.institution(correction.value, action)
        return institution.iri, institution.name
    value = resolve(correction.field, correction.value)
    assert value is not None
    return value.key, value.shown


def _has(action: BuiltAction, field: str, key: str, shown: str) -> bool:
    if field == "partner_institution":
        return key in action.institutions
    return fold(shown) in {fold(v) for v in action.values.get(field, set())}


def check_line(
    action: str,
    field: str,
    change: str,
    value: str,
    reason: str,
    by: str,
    when: str,
    corrections: Path,
    graph_file: Path,
) -> tuple[str, int]:
    """The line to append for this correction, and its number; a SocieuxError saying why not."""
    existing = read_corrections(corrections) if corrections.is_file() else []
    number = next_line(corrections)
    try:
        correction = check_cells(
            [action, field, change, value, reason, by, when], str(corrections), corrections.name, number
        )
    except InputError as error:
        raise SocieuxError(error.message) from None
    build = CurrentBuild.read(graph_file)
    try:
        key = build.index.find(correction)
    except InputError as error:
        raise SocieuxError(f"{graph_file}: {error.message}") from None
    assert key is not None
    built = build.actions[key]
    try:
        fact, shown = _value(build, built, correction)
    except UnknownValue as error:
        raise SocieuxError(f"{field}: {error}") from None
    spec = FIELDS[field]
    for earlier in existing:
        if earlier.field != field:
            continue
        try:
            if build.index.find(earlier) != key:
                continue
            earlier_fact, _ = _value(build, built, earlier)
        except (InputError, UnknownValue):
            continue  # a line the build will report itself
        if not spec.single and earlier_fact != fact:
            continue
        if earlier.change == change and earlier_fact == fact:
            raise SocieuxError(f"{earlier.where} already holds this correction")
        raise SocieuxError(
            f"contradicts {earlier.where} ({earlier.change} {earlier.value}): both decide "
            f"{'the ' + field if spec.single else repr(shown) + ' in ' + field} of {built.title!r}"
        )
    has = _has(built, field, fact, shown)
    current = ", ".join(sorted(built.values.get(field, set()))) or "none"
    if change == "add" and has:
        raise SocieuxError(f"nothing to correct: the build already has {shown} in {field} of {built.title!r}")
    if change == "remove" and not has:
        raise SocieuxError(f"nothing to correct: {field} of {built.title!r} holds no {shown} ({current})")
    if change == "set" and has:
        raise SocieuxError(f"nothing to correct: {field} of {built.title!r} is already {shown}")
    line = csv_line((build.index.ref(key, key), field, change, shown, reason.strip(), by.strip(), when.strip()))
    return line, number
