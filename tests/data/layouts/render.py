"""Render tests/data/layouts/actions.toml into the five layouts the reader reads alike:

- ``plain.txt``: the seeds' plain layout (a bulleted title, then partner, types and description);
- ``labelled.txt``: the seeds' labelled layout (empty date labels, no Code or Description label);
- ``labelled-values.txt``: the labelled layout as the website fills it today (dates, Code, Description);
- ``dashed.txt``: every label and value a "- " line, titles with no bullet, under country page
  headers, the labels in the page's language;
- ``inline.txt``: "Label: value" lines.

Run ``python tests/data/layouts/render.py`` after editing actions.toml.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELS = {  # the labels as each language's pages write them
    "en": ("Start activities", "End activities", "Partner Institution", "Type of Assistance", "Code", "Description"),
    "es": (
        "Inicio de actividades",
        "Fin de actividades",
        "Institución socia",
        "Tipo de asistencia",
        "Código",
        "Descripción",
    ),
    "pt": (
        "Início das atividades",
        "Fim das atividades",
        "Instituição parceira",
        "Tipo de assistência",
        "Código",
        "Descrição",
    ),
    "fr": (
        "Début des activités",
        "Fin des activités",
        "Institution partenaire",
        "Type d'assistance",
        "Code",
        "Description",
    ),
}


def language(header: str) -> str:
    lowered = header.lower()
    if lowered.startswith("acciones"):
        return "es"
    if lowered.startswith(("ações", "açôes")):
        return "pt"
    if lowered.startswith(("actions au", "actions en")):
        return "fr"
    return "en"


def plain(actions: list[dict]) -> str:
    out = []
    for number, a in enumerate(actions):
        # the ninth entry's title has no bullet (a blank line before it); a news headline stands after the fourth
        out += ["", f"  {a['title']}"] if number == 8 else [f"  • {a['title']}"]
        out.append("")
        out += [f"    {line}" for line in (a["partner"], a["types"], a["description"]) if line]
        if number == 3:
            out += ["", "    Experts from the facility meet partners at a regional forum on social protection", ""]
    return "\n".join(out) + "\n"


def labelled(actions: list[dict], values: bool) -> str:
    out = ["Actions in Work", ""]
    for a in actions:
        out += [f"  • {a['title']}", ""]
        out.append("    Start activities" + (f"\n    {a['start']}" if values and a["start"] else ""))
        out.append("    End activities" + (f"\n    {a['end']}" if values and a["end"] else ""))
        out += ["    Partner Institution", f"    {a['partner']}", "    Type of Assistance"]
        if a["types"]:
            out.append(f"    {a['types']}")
        if values:
            out.append("    Code" + (f"\n    {a['code']}" if a["code"] else ""))
            out.append("    Description")
        out.append(f"    {a['description']}")
    return "\n".join(out) + "\n"


def dashed(actions: list[dict]) -> str:
    out = []
    for a in actions:
        start, end, partner, types, code, description = LABELS[language(a["header"])]
        out += [a["header"], "", a["title"]]
        for label, value in (
            (start, a["start"]),
            (end, a["end"]),
            (partner, a["partner"]),
            (types, a["types"]),
            (code, a["code"]),
            (description, a["description"]),
        ):
            out.append(f"- {label}")
            if value:
                out.append(f"- {value}")
        out.append("")
    return "\n".join(out)


def inline(actions: list[dict]) -> str:
    out = []
    for a in actions:
        out.append(a["title"])
        for label, value in (
            ("Start activities", a["start"]),
            ("End activities", a["end"]),
            ("Partner Institution", a["partner"]),
            ("Type of Assistance", a["types"]),
            ("Code", a["code"]),
            ("Description", a["description"]),
        ):
            out.append(f"{label}: {value}".rstrip())
        out.append("")
    return "\n".join(out)


def main() -> None:
    with open(HERE / "actions.toml", "rb") as handle:
        actions = tomllib.load(handle)["action"]
    for name, text in (
        ("plain.txt", plain(actions)),
        ("labelled.txt", labelled(actions, values=False)),
        ("labelled-values.txt", labelled(actions, values=True)),
        ("dashed.txt", dashed(actions)),
        ("inline.txt", inline(actions)),
    ):
        (HERE / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
