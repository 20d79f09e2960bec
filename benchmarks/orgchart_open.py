"""How long an org-chart page takes to open, and to expand fully, in headless Chromium.

    python benchmarks/orgchart_open.py SITE/2026-10/org/region.html [--runs 5]

Prints the median over the runs of: DOMContentLoaded, load, first contentful paint,
and the time to expand every node with the page's own "expand all" button. Needs
Debian's chromium and the playwright package (the test extras).
"""
from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const paint = performance.getEntriesByName('first-contentful-paint')[0];
  return {dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp: paint ? paint.startTime : null,
          nodes: document.querySelectorAll('.org-chart .node').length,
          bytes: document.documentElement.outerHTML.length};
}"""
EXPAND = """() => new Promise(resolve => {
  const start = performance.now();
  document.querySelector('[data-action=expand]').click();
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(performance.now() - start)));
})"""


def measure(page_path: Path, runs: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {"dom": [], "load": [], "fcp": [], "expand": []}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for _ in range(runs):
            page = browser.new_page()
            page.goto(page_path.resolve().as_uri(), wait_until="load")
            figures = page.evaluate(TIMINGS)
            for key in ("dom", "load", "fcp"):
                samples[key].append(figures[key] or 0.0)
            samples["expand"].append(page.evaluate(EXPAND))
            nodes = figures["nodes"]
            page.close()
        browser.close()
    result = {key: statistics.median(values) for key, values in samples.items()}
    result["nodes"] = nodes
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    result = measure(args.page, args.runs)
    size = args.page.stat().st_size
    print(f"{args.page}: {result['nodes']:.0f} nodes, {size / 1024:.0f} KiB; median of {args.runs} runs: "
          f"DOMContentLoaded {result['dom']:.0f} ms, load {result['load']:.0f} ms, "
          f"first paint {result['fcp']:.0f} ms, expand all {result['expand']:.0f} ms")


if __name__ == "__main__":
    main()
