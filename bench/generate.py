"""Deterministic corpus generator: N times the seed volume, in the seeds' two layouts.

    python bench/generate.py SCALE OUT_DIR [--seed 7]

Each of the SCALE documents recombines the seed actions: the same kinds of titles with a variant,
partner institutions moved to other partner countries, descriptions recombined from two seed
descriptions with new expert countries, news interleaved, and about 8% of the actions repeated in
another document (duplicates the build must merge). Writes OUT_DIR/manifest.json with what it wrote.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from graph.extract.gazetteer import load_gazetteer
from graph.read.reader import DocumentReader, read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def seed_material():
    reader = DocumentReader()
    actions, news = [], []
    for path in SEEDS:
        document = read_document(path, reader)
        actions += [a for a in document.actions if a.partners and a.description]
        news += [n.title.value for n in document.news]
    return actions, news


def generate(scale: int, out: Path, seed: int = 7) -> dict:
    rng = random.Random(seed)
    actions, news = seed_material()
    gazetteer = load_gazetteer()
    eu = sorted(c.name for c in gazetteer.countries.values() if c.eu_member)
    partners = sorted(
        c.name
        for a3, c in gazetteer.countries.items()
        if not c.eu_member and c.continent in ("Africa", "Americas", "Asia") and len(c.name) < 20
    )
    out.mkdir(parents=True, exist_ok=True)
    written_actions, records, news_count, duplicates = 0, 0, 0, 0
    pending_duplicates: list[str] = []
    for number in range(scale):
        lines = [f"Actions in Work {number + 1}", ""]
        for index, template in enumerate(actions):
            country = partners[rng.randrange(len(partners))]
            experts = rng.sample(eu, rng.randint(1, 3))
            expert_phrase = (
                f"Experts from {', '.join(experts[:-1])} and {experts[-1]}"
                if len(experts) > 1
                else f"{experts[0]} experts"
                if rng.random() < 0.3
                else f"Experts from {experts[0]}"
            )
            other = actions[rng.randrange(len(actions))]
            sentences = SENTENCE.split(template.description_text)[:2] + SENTENCE.split(other.description_text)[1:3]
            partner = template.partners[0].value
            description = (
                f"The {partner.split('[')[0].strip()} of {country} requested SOCIEUX+ support. "
                f"{expert_phrase} mobilised by SOCIEUX+ worked with the partner. " + " ".join(sentences)
            )
            title = f"{template.title.value} ({number}-{index})"
            types = template.types.value if template.types else "Policy development"
            if rng.random() < 0.5:
                entry = [f"  • {title}", "", f"    {partner}", f"    {types}", f"    {description}"]
            else:
                entry = [
                    f"  • {title}",
                    "",
                    "    Start activities",
                    "    End activities",
                    "    Partner Institution",
                    f"    {partner}",
                    "    Type of Assistance",
                    f"    {types}",
                    f"    {description}",
                ]
            lines += entry
            written_actions += 1
            records += 1
            if rng.random() < 0.08:
                pending_duplicates.append("\n".join(entry))
            if index % 5 == 4:
                lines += ["", f"    {news[rng.randrange(len(news))]} ({number}-{index})", ""]
                news_count += 1
        if number > 0 and pending_duplicates:
            for entry in pending_duplicates:
                lines += entry.split("\n")
                records += 1
                duplicates += 1
            pending_duplicates = []
        (out / f"generated-{number:04d}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = {
        "scale": scale,
        "seed": seed,
        "documents": scale,
        "actions": written_actions,
        "action_records": records,
        "duplicates": duplicates,
        "news_items": news_count,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", type=int)
    parser.add_argument("out", type=Path)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(generate(args.scale, args.out, args.seed)))


if __name__ == "__main__":
    main()
