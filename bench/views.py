"""Time to first drawing of every network page, in headless Chromium (Debian's ``chromium``, driven by
Playwright), with the network blocked. Usage:

    python bench/views.py                      # the seeds: builds their views in a temporary folder
    python bench/views.py CORPUS_DIR           # a corpus: builds it first (minutes at 100 x the seeds)
    python bench/views.py OUT_DIR              # an output folder already built (holding views/*.html)
    python bench/views.py --repeat 5 ...

For each view: the milliseconds from navigation start to the first non-white pixel on the canvas
("first ink", polled every animation frame by a script injected before the page's own), the same
less that of a page that draws a rectangle at once (the browser's own cost), the page's own mark
of its first drawing, the page size, what is on the canvas and the script errors; median of
``--repeat`` loads, each in a fresh browser context. Writes bench/views.json. The targets: 1 s on the seeds, 3 s at a
hundred times the seeds (``python ../shared/bench/make_scale.py seeds 100 DIR``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--proxy-server=http://127.0.0.1:9",  # every connection goes to a dead port
]
# Runs before the page's scripts: records when the network canvas first holds a non-white pixel.
FIRST_INK = """
window.__firstInk = null;
(function poll() {
  var canvas = document.querySelector("#network canvas");
  if (canvas && canvas.width) {
    var pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (var i = 0; i < pixels.length; i += 16) {
      if (pixels[i + 3] > 0 && (pixels[i] < 245 || pixels[i + 1] < 245 || pixels[i + 2] < 245)) {
        window.__firstInk = performance.now();
        return;
      }
    }
  }
  if (performance.now() < 30000) requestAnimationFrame(poll);
})();
"""


def launch(playwright):
    """Debian's Chromium, headless, with no way out to the network."""
    return playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)


def open_offline(browser, viewport: dict | None = None):
    """A fresh context that lets only file:// through, and the list of what it refused."""
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 900})
    refused: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith("file:"):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    context.add_init_script(FIRST_INK)
    return context, refused


def measure(browser, page_file: Path) -> dict:
    """One load of one page: first ink, the page's first-drawing mark, errors, what is shown."""
    context, refused = open_offline(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(page_file.as_uri())
    page.wait_for_function("window.__firstInk !== null && document.body.dataset.ready === 'yes'", timeout=60000)
    found = page.evaluate(
        """() => ({ink: window.__firstInk, drawn: Number(document.body.dataset.firstDraw),
                  errors: Number(document.body.dataset.errors),
                  counts: document.getElementById("counts").textContent,
                  shown: Number(document.body.dataset.shownNodes)})"""
    )
    context.close()
    found["errors"] += len(errors) + len(refused)
    return found


# The same measure on a page that draws one rectangle at once: what any page costs here (a new
# browser context, its renderer process, the navigation), to tell apart from what ours cost.
BASELINE = """<!DOCTYPE html><html><body data-errors="0"><div id="network"><canvas width="1400" height="800">
</canvas></div><div id="counts">baseline</div><script>
document.querySelector("canvas").getContext("2d").fillRect(10, 10, 100, 100);
document.body.dataset.firstDraw = String(performance.now());
document.body.dataset.shownNodes = "0";
document.body.dataset.ready = "yes";
</script></body></html>"""


def views_of(folder: Path, work: Path) -> Path:
    """The views folder of an output folder, or of a corpus built into ``work``."""
    if (folder / "views").is_dir():
        return folder / "views"
    out = work / folder.name
    print(f"building {folder} into {out} (minutes at a hundred times the seeds)...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "graph", "build", str(folder), "--out", str(out), "-q"], check=True)
    return out / "views"


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="corpus or output folders [default: the seeds]")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as work, sync_playwright() as playwright:
        browser = launch(playwright)
        baseline_file = Path(work) / "baseline.html"
        baseline_file.write_text(BASELINE, encoding="utf-8")
        baseline = statistics.median(measure(browser, baseline_file)["ink"] for _ in range(args.repeat))
        print(f"a page that draws at once: first ink {baseline:.0f} ms (the browser's own cost, in every figure below)")
        results.append({"corpus": "", "view": "baseline", "first_ink_ms": round(baseline)})
        for folder in args.folders or [ROOT / "seeds"]:
            views = views_of(folder, Path(work))
            limit = 1000 if folder.resolve() == (ROOT / "seeds").resolve() else 3000
            print(f"\n{folder} ({views}): target {limit} ms")
            print(
                f"{'view':22} {'first ink ms':>12} {'minus baseline':>14} {'own mark ms':>11} {'MB':>6} {'errors':>6}"
                "  on the canvas"
            )
            for page_file in sorted(views.glob("*.html")):
                runs = [measure(browser, page_file) for _ in range(args.repeat)]
                ink = statistics.median(r["ink"] for r in runs)
                drawn = statistics.median(r["drawn"] for r in runs)
                errors = max(r["errors"] for r in runs)
                size = page_file.stat().st_size / 1e6
                print(
                    f"{page_file.stem:22} {ink:12.0f} {ink - baseline:14.0f} {drawn:11.0f} {size:6.1f} {errors:6d}  "
                    f"{runs[0]['shown']} nodes drawn; {runs[0]['counts']}"
                    + ("" if ink <= limit and not errors else "  <- misses the target")
                )
                results.append(
                    {
                        "corpus": str(folder),
                        "view": page_file.stem,
                        "first_ink_ms": round(ink),
                        "own_mark_ms": round(drawn),
                        "runs_ms": [round(r["ink"]) for r in runs],
                        "megabytes": round(size, 1),
                        "errors": errors,
                        "target_ms": limit,
                    }
                )
        browser.close()
    (Path(__file__).with_name("views.json")).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
