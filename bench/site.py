"""Time and size of `socieux-kg site` (docs/site.md). Usage:

    python bench/site.py                       # the seeds: built first into a temporary folder
    python bench/site.py OUT_DIR               # a build's output folder (holding socieux.ttl)
    python bench/site.py CORPUS_DIR            # a corpus: built first (minutes at 100 x the seeds)

For each: the wall time of `python -m graph site --graph OUT/socieux.ttl --out SITE` in a fresh
process (its own progress lines say where the time went), its processor time (user and system, the
page workers included), its peak memory, the pages and files it wrote and their size on disk
(`du`, with and without `exports/`, which holds hard links of the build's files and takes no room
of its own on the same file system), and the machine's load average before and after. Writes
bench/site.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def du(path: Path, exclude: str | None = None) -> int:
    """Bytes on disk under ``path`` (``du -sb``-like, by allocated blocks)."""
    args = ["du", "-s", "--block-size=1"] + ([f"--exclude={exclude}"] if exclude else []) + [str(path)]
    return int(subprocess.run(args, capture_output=True, text=True, check=True).stdout.split()[0])


def built(folder: Path, work: Path) -> Path:
    """The output folder of ``folder`` (built into ``work`` when it is a corpus)."""
    if (folder / "socieux.ttl").is_file():
        return folder
    out = work / f"{folder.name}-out"
    print(f"building {folder} into {out}...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "-q"], check=True, cwd=ROOT)
    return out


def measure(out: Path, site: Path) -> dict:
    load_before = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "graph", "site", "--graph", str(out / "socieux.ttl"), "--out", str(site)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(done.stderr)
    print(done.stderr.rstrip(), file=sys.stderr)
    pages = sum(1 for _ in site.rglob("*.html"))
    files = sum(1 for p in site.rglob("*") if p.is_file())
    return {
        "graph": str(out / "socieux.ttl"),
        "triples": int(json.loads((out / "build-report.json").read_text())["counts"]["triples"]),
        "wall_s": round(wall, 1),
        "user_s": round(after.ru_utime - before.ru_utime, 1),
        "system_s": round(after.ru_stime - before.ru_stime, 1),
        "peak_memory_mib": round(after.ru_maxrss / 1024),
        "pages": pages,
        "files": files,
        "disk_mb": round(du(site) / 1e6, 1),
        "disk_mb_without_exports": round(du(site, "exports") / 1e6, 1),
        "load_before": round(load_before, 1),
        "load_after": round(os.getloadavg()[0], 1),
        "summary": done.stdout.strip(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="build output or corpus folders [default: the seeds]")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as work:
        for folder in args.folders or [ROOT / "seeds"]:
            out = built(folder, Path(work))
            found = measure(out, Path(work) / f"site-{len(results)}")
            results.append(found)
            print(
                f"{folder}: {found['triples']:,} triples -> {found['pages']:,} pages, {found['files']:,} files, "
                f"{found['disk_mb']:,} MB on disk ({found['disk_mb_without_exports']:,} MB without exports/); "
                f"{found['wall_s']} s wall, {found['user_s']} s user + {found['system_s']} s system, "
                f"{found['peak_memory_mib']} MiB peak; load {found['load_before']} -> {found['load_after']}"
            )
    (ROOT / "bench" / "site.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
