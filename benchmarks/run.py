"""How fast and how big a province-size build is: figures, never assertions.

    python benchmarks/run.py [--managers 20000] [--units 1500] [--periods 36] [--seed 7]
                             [--work DIR] [--keep] [--skip-half] [--quiet-seconds 30] [--json FILE]

For the full size and (unless --skip-half) for half the managers and units it:
  1. generates the sample bank with `python -m samplebank ... --clean`;
  2. cold-builds all periods into an empty site (wall time, peak RSS, pages, files; and the
     memory of the build with its forked workers, sampled: see memory.py);
  3. cold-builds all but the last period, puts the last period's extracts back and builds
     again into the same site: the nightly, incremental build of one new month (three
     times from the same published site and cache; the fastest counts, as for the floor),
     each run between two floor passes of as many pages, so that its ratio to the floor is
     measured at the machine's speed of that minute;
  4. measures manager page sizes and the search index;
then renders the same number of pages with plain jinja2 (the floor) and prints a table of
each figure against its target. See benchmarks/README.md for how to read it.

Exit code 0 whatever the figures are (this measures, it does not judge); 1 when a
generation or build fails, after printing the end of its stderr.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import jinja2
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script, Python puts only benchmarks/ on the path

from benchmarks import memory  # noqa: E402  (after the path it needs)

KIB, MIB, GIB = 1024, 1024 ** 2, 1024 ** 3
FLOOR_ROWS = 30
FLOOR_REPEATS = 3
NIGHTLY_REPEATS = 3
# After a bulk write or delete the development VM's disk took some 20 s to create files at its
# usual speed again (15 µs instead of 300-500 µs each): each timed step starts after this pause.
QUIET_S = 30
STDERR_TAIL = 40
TARGETS = {"floor_ratio": 3.0, "peak_rss_bytes": 2 * GIB, "manager_page_bytes": 8 * KIB,
           "growth_ratio": 2.1, "search_index_bytes": 5 * MIB}


class StepFailed(Exception):
    """A generation or build exited non-zero: nothing after it would mean anything."""


@dataclass
class Run:
    wall_s: float
    peak_rss_bytes: int
    stdout: str
    stderr: str
    tree_peak_bytes: int | None = None  # None: not sampled


# --- running a child, one measurement per child --------------------------------------------

def run_measured(name: str, command: list[str], logs: Path, sample_tree: bool = False) -> Run:
    """Run `command` from the repository root; wall time and that child's own peak RSS, and
    with `sample_tree` the peak memory of the child and its workers together (memory.TreePeak).

    os.wait4 gives the rusage of exactly this child (RUSAGE_CHILDREN would be the maximum
    over every child so far, so a later, smaller build would report the earlier peak); its
    ru_maxrss is the largest single process, never the sum with the workers.
    Output goes to files, not pipes, so a chatty build cannot block on a full pipe."""
    logs.mkdir(parents=True, exist_ok=True)
    out_path, err_path = logs / f"{name}.stdout", logs / f"{name}.stderr"
    _progress(f"{name}: {' '.join(command[1:])}")
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        started = time.monotonic()
        child = subprocess.Popen(command, cwd=REPO, stdout=out, stderr=err)
        with _tree_sampler(child.pid, sample_tree) as tree:
            _, status, usage = os.wait4(child.pid, 0)
        wall = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; tell Popen so it does not wait again
    run = Run(wall, usage.ru_maxrss * KIB,
              out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"),
              tree.peak_bytes if tree else None)
    if child.returncode != 0:
        tail = "\n".join(run.stderr.splitlines()[-STDERR_TAIL:])
        raise StepFailed(f"{name} failed with exit code {child.returncode}:\n{tail}")
    together = "" if run.tree_peak_bytes is None else f", with its workers {run.tree_peak_bytes / MIB:.0f} MiB"
    _progress(f"{name}: {wall:.1f} s, peak RSS {run.peak_rss_bytes / MIB:.0f} MiB{together}")
    return run


def _tree_sampler(pid: int, wanted: bool):
    """The sampler for `pid`'s tree, or a do-nothing context (yielding None) when not wanted
    or not possible here."""
    if wanted and memory.supported():
        return memory.TreePeak(pid)
    return contextlib.nullcontext()


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def generate(data: Path, managers: int, units: int, periods: int, seed: int, logs: Path) -> Run:
    return run_measured("generate", [sys.executable, "-m", "samplebank", "--managers", str(managers),
                                     "--units", str(units), "--periods", str(periods), "--seed", str(seed),
                                     "--out", str(data), "--clean"], logs)


def build(name: str, config: Path, site: Path, logs: Path, sample_tree: bool = False) -> Run:
    return run_measured(name, [sys.executable, "build.py", "--config", str(config), "--out", str(site)], logs,
                        sample_tree)


# --- the data and the site on disk ------------------------------------------------------------

def last_period_folder(config: Path) -> Path:
    """The newest period's extract folder, found the way the config names them
    (periods.directory, e.g. "periods/{year}-{month:02d}", under data.directory)."""
    settings = yaml.safe_load(config.read_text(encoding="utf-8"))
    data = (config.parent / settings["data"]["directory"]).resolve()
    pattern = re.sub(r"\{[^}]*\}", "*", settings["periods"]["directory"])
    folders = sorted(path for path in data.glob(pattern) if path.is_dir())
    if not folders:
        raise StepFailed(f"no period folders matching {pattern} under {data}")
    return folders[-1]  # YYYY-MM (or YYYY-Qn) names sort in time order


def wipe(*sites: Path) -> None:
    """Remove sites with the staging, retired and cache folders the build keeps beside them: a
    cold build must find no published site (it would copy snapshots, or restore a retired one)
    and no build cache (it would reuse periods read and assessed before)."""
    for site in sites:
        for path in (site, *(site.parent / f".{site.name}.{kind}" for kind in ("staging", "retired", "cache"))):
            shutil.rmtree(path, ignore_errors=True)


def read_manifest(site: Path) -> dict:
    return json.loads((site / "manifest.json").read_text(encoding="utf-8"))


def site_counts(site: Path) -> dict:
    files = [path for path in site.rglob("*") if path.is_file()]
    return {"pages": sum(1 for path in files if path.suffix == ".html"), "files": len(files),
            "bytes": sum(path.stat().st_size for path in files)}


def page_sizes(site: Path) -> dict:
    """Manager pages of the latest period (their own bytes: CSS and scripts are shared files
    under assets/), the largest per-period search index, and the latest period's file count
    (the pages of a floor pass beside the nightly)."""
    manifest = read_manifest(site)
    periods = manifest["periods"]
    managers = [path.stat().st_size for path in (site / periods[-1] / "managers").glob("*.html")]
    indexes = [(site / period / "search-index.js").stat().st_size for period in periods
               if (site / period / "search-index.js").is_file()]
    return {"latest_period": periods[-1], "latest_snapshot_files": len(manifest["snapshots"][periods[-1]]["files"]),
            "manager_pages": len(managers),
            "manager_page_avg_bytes": sum(managers) / len(managers) if managers else 0.0,
            "manager_page_max_bytes": max(managers, default=0), "search_index_max_bytes": max(indexes, default=0)}


def rebuilt_snapshots(before: dict, after: dict) -> dict[str, int]:
    """Periods whose snapshot the nightly build wrote (new, or entry changed), with their file
    counts. Copied snapshots keep their manifest entry byte for byte."""
    old = before.get("snapshots", {})
    return {period: len(entry["files"]) for period, entry in after["snapshots"].items()
            if old.get(period) != entry}


def snapshot_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip().startswith("snapshots:")]
    return lines[-1] if lines else "(no 'snapshots:' line on stderr)"


# --- one size: cold build, then the nightly pair -------------------------------------------

def measure_size(work: Path, label: str, managers: int, units: int, periods: int, seed: int, keep: bool) -> dict:
    """`keep`: leave the built sites on disk (at province size each is some 15 GB)."""
    root, logs = work / label, work / label / "logs"
    data, cold_site, nightly_site, held = root / "data", root / "site-cold", root / "site-nightly", root / "held-out"
    wipe(cold_site, nightly_site)
    shutil.rmtree(held, ignore_errors=True)  # a period parked by an interrupted run; the generator rewrites all
    generated = generate(data, managers, units, periods, seed, logs)
    config = data / "site_config.yml"
    cold = build("cold", config, cold_site, logs, sample_tree=True)
    figures = {"label": label, "managers": managers, "units": units, "periods": periods, "seed": seed,
               "generate_s": generated.wall_s, "cold": _build_figures(cold), **site_counts(cold_site)}
    figures.update(page_sizes(cold_site))
    if not keep:
        wipe(cold_site)  # before the nightly pair, so at most one site and its staging copy are on disk
    figures.update(measure_nightly(config, nightly_site, held, logs, figures["latest_snapshot_files"],
                                   root / "floor"))
    if not keep:
        wipe(nightly_site)
    return figures


def measure_nightly(config: Path, site: Path, held: Path, logs: Path, floor_pages: int, floor_folder: Path) -> dict:
    """Publish P-1 periods, then add the last one back and build again into the same site:
    NIGHTLY_REPEATS times from the same published site and cache (restored by hard links),
    the fastest counting, as for the floor: other work on the machine only adds. Each run is
    paired with a floor pass of `floor_pages` just before and just after it: on a machine whose
    speed drifts, only a floor timed beside the run says what the run's ratio is."""
    folder = last_period_folder(config)
    held.mkdir(parents=True)
    parked = held / folder.name
    shutil.move(folder, parked)
    try:
        seed_run = build("cold-minus-last", config, site, logs, sample_tree=True)
    finally:
        shutil.move(parked, folder)  # never leave the generated data short of a period
        held.rmdir()
    before = read_manifest(site)
    saved = site.parent / "before-nightly"
    shutil.rmtree(saved, ignore_errors=True)
    kept = [site, site.parent / f".{site.name}.cache"]
    for path in kept:
        link_copy(path, saved / path.name)
    runs, floors = [], []
    for attempt in range(1, NIGHTLY_REPEATS + 1):
        if attempt > 1:
            wipe(site)
            for path in kept:
                link_copy(saved / path.name, path)
        floor_before = quiet_floor_pass(floor_pages, floor_folder)
        _quiet()
        runs.append(build(f"nightly-{attempt}", config, site, logs))
        floors.append((floor_before, quiet_floor_pass(floor_pages, floor_folder)))
    shutil.rmtree(saved)
    rebuilt = rebuilt_snapshots(before, read_manifest(site))
    files = max(1, sum(rebuilt.values()))
    pairs = [{"nightly_s": run.wall_s, "floor_before_s": before_s, "floor_after_s": after_s,
              "ratio": (run.wall_s / files) / ((before_s + after_s) / 2 / max(1, floor_pages))}
             for run, (before_s, after_s) in zip(runs, floors)]
    best = min(runs, key=lambda run: run.wall_s)
    return {"cold_minus_last": _build_figures(seed_run),
            "nightly": {**_build_figures(best), "peak_rss_bytes": max(run.peak_rss_bytes for run in runs),
                        "runs_s": [run.wall_s for run in runs]},
            "new_period": folder.name, "nightly_rebuilt": rebuilt, "nightly_files": sum(rebuilt.values()),
            "nightly_ms_per_file": 1000 * best.wall_s / files, "floor_pages": floor_pages, "paired_floor": pairs}


def link_copy(source: Path, target: Path) -> None:
    """A copy of the folder made of hard links: the build never writes into a published file
    or cache entry (it writes beside and renames), so the copy stays as it was."""
    for folder, _, names in os.walk(source):
        into = target / Path(folder).relative_to(source)
        into.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, into / name)


def _build_figures(run: Run) -> dict:
    return {"wall_s": run.wall_s, "peak_rss_bytes": run.peak_rss_bytes, "tree_peak_bytes": run.tree_peak_bytes,
            "snapshots": snapshot_line(run.stderr)}


# --- the jinja2 floor ----------------------------------------------------------------------

FLOOR_TEMPLATE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ title }}</title>
<link rel="stylesheet" href="../../assets/site.css"></head>
<body><header><a href="../../index.html">{{ bank }}</a></header>
<main><h1>{{ title }}</h1>
<table><thead><tr><th>排名</th><th>编号</th><th>姓名</th><th>机构</th><th>得分</th><th>等级</th></tr></thead>
<tbody>
{% for row in rows %}<tr><td>{{ row.rank }}</td><td>{{ row.id }}</td><td>{{ row.name }}</td><td>{{ row.unit }}</td><td>{{ "%.2f"|format(row.score) }}</td><td>{{ row.grade }}</td></tr>
{% endfor %}</tbody></table></main>
<script src="../../assets/tables.js"></script></body></html>
"""  # noqa: E501 - the row template is one line, as in the site's own tables


def floor_contexts(count: int) -> list[dict]:
    """Distinct data per page, prepared before the clock starts: the floor is rendering and writing."""
    return [{"title": f"客户经理 {page:06d}", "bank": "华东省分行",
             "rows": [{"rank": row + 1, "id": f"{page * 31 + row:06d}", "name": f"经理{row}",
                       "unit": f"支行{page % 97}", "score": 100 - row * 1.7 - page % 5 * 0.01, "grade": "ABCD"[row % 4]}
                      for row in range(FLOOR_ROWS)]} for page in range(count)]


def jinja2_floor(count: int, folder: Path) -> dict:
    """Plain jinja2, one template, each page written straight to its own file. Best of
    FLOOR_REPEATS: a floor is the least it can cost, and other work on the machine only adds."""
    template, contexts = _floor_inputs(count, folder)
    elapsed = min(_render_floor(template, contexts, folder) for _ in range(FLOOR_REPEATS))
    return {"pages": count, "total_s": elapsed, "repeats": FLOOR_REPEATS, "ms_per_page": 1000 * elapsed / max(1, count)}


def quiet_floor_pass(count: int, folder: Path) -> float:
    """One floor pass (seconds for `count` pages) after a quiet pause, its files removed after it."""
    _quiet()
    template, contexts = _floor_inputs(count, folder)
    try:
        return _render_floor(template, contexts, folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _floor_inputs(count: int, folder: Path) -> tuple[jinja2.Template, list[dict]]:
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.Environment(autoescape=True).from_string(FLOOR_TEMPLATE), floor_contexts(count)


def _quiet() -> None:
    os.sync()
    time.sleep(QUIET_S)


def set_quiet(seconds: float) -> None:
    global QUIET_S
    QUIET_S = seconds


def _render_floor(template: jinja2.Template, contexts: list[dict], folder: Path) -> float:
    started = time.perf_counter()
    for number, context in enumerate(contexts):
        (folder / f"{number:06d}.html").write_text(template.render(context), encoding="utf-8")
    return time.perf_counter() - started


# --- the report ----------------------------------------------------------------------------

def checks(full: dict, half: dict | None, floor: dict) -> list[tuple[str, str, str, str]]:
    """(figure, value, target, PASS/OVER/SKIP) for the final table."""
    ratio = full["nightly_ms_per_file"] / floor["ms_per_page"] if floor["ms_per_page"] else float("inf")
    paired = min(pair["ratio"] for pair in full["paired_floor"])
    peak = max(full[key]["peak_rss_bytes"] for key in ("cold", "cold_minus_last", "nightly"))
    rows = [("nightly ÷ floor, timed side by side", " / ".join(f"{pair['ratio']:.1f}×" for pair in full["paired_floor"])
             + f", best {paired:.1f}×", f"≤ {TARGETS['floor_ratio']:g}×", _verdict(paired <= TARGETS["floor_ratio"])),
            ("nightly ms/page ÷ jinja2 floor at the end", f"{full['nightly_ms_per_file']:.2f} / "
             f"{floor['ms_per_page']:.3f} = {ratio:.1f}×", f"≤ {TARGETS['floor_ratio']:g}×",
             _verdict(ratio <= TARGETS["floor_ratio"])),
            ("peak RSS (largest of all builds)", f"{peak / MIB:,.0f} MiB", "< 2 GiB",
             _verdict(peak < TARGETS["peak_rss_bytes"])),
            _tree_row(full),
            ("manager page, average", f"{full['manager_page_avg_bytes']:,.0f} B", "≤ 8,192 B",
             _verdict(full["manager_page_avg_bytes"] <= TARGETS["manager_page_bytes"])),
            ("search index, largest period", f"{full['search_index_max_bytes'] / MIB:.2f} MiB", "≤ 5 MiB",
             _verdict(full["search_index_max_bytes"] <= TARGETS["search_index_bytes"]))]
    for kind in ("cold", "nightly"):
        rows.append(_growth_row(kind, full, half))
    return rows


def _tree_row(full: dict) -> tuple[str, str, str, str]:
    name = "peak memory with the workers (PSS, cold builds)"
    sampled = [full[key]["tree_peak_bytes"] for key in ("cold", "cold_minus_last")]
    if None in sampled:
        return name, "not measured (no /proc/*/smaps_rollup here)", "< 2 GiB", "SKIP"
    peak = max(sampled)
    return name, f"{peak / MIB:,.0f} MiB", "< 2 GiB", _verdict(peak < TARGETS["peak_rss_bytes"])


def _growth_row(kind: str, full: dict, half: dict | None) -> tuple[str, str, str, str]:
    name = f"{kind} time, full ÷ half managers"
    if half is None:
        return name, "not measured (--skip-half)", f"≤ {TARGETS['growth_ratio']}×", "SKIP"
    ratio = full[kind]["wall_s"] / half[kind]["wall_s"]
    return (name, f"{full[kind]['wall_s']:.1f} s / {half[kind]['wall_s']:.1f} s = {ratio:.2f}×",
            f"≤ {TARGETS['growth_ratio']}×", _verdict(ratio <= TARGETS["growth_ratio"]))


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def print_size(figures: dict) -> None:
    cold, nightly = figures["cold"], figures["nightly"]
    rebuilt = ", ".join(f"{period}: {files}" for period, files in figures["nightly_rebuilt"].items()) or "none"
    print(f"\n== {figures['label']}: {figures['managers']} managers, {figures['units']} units, "
          f"{figures['periods']} periods, seed {figures['seed']} (generated in {figures['generate_s']:.1f} s)")
    print(f"cold build, all {figures['periods']} periods: {cold['wall_s']:.1f} s, peak RSS "
          f"{cold['peak_rss_bytes'] / MIB:,.0f} MiB{_with_workers(cold)}; {figures['pages']:,} pages (.html), "
          f"{figures['files']:,} files, {figures['bytes'] / MIB:,.1f} MiB")
    print(f"  {cold['snapshots']}")
    seed_run = figures["cold_minus_last"]
    print(f"cold build without {figures['new_period']}: {seed_run['wall_s']:.1f} s, peak RSS "
          f"{seed_run['peak_rss_bytes'] / MIB:,.0f} MiB{_with_workers(seed_run)}")
    print(f"nightly build adding {figures['new_period']}: {nightly['wall_s']:.1f} s (best of "
          f"{', '.join(f'{wall:.1f}' for wall in nightly['runs_s'])} s), "
          f"peak RSS {nightly['peak_rss_bytes'] / MIB:,.0f} MiB")
    print(f"  {nightly['snapshots']}")
    print(f"  snapshot files written by the nightly run (manifest): {rebuilt}")
    if len(figures["nightly_rebuilt"]) != 1:
        print(f"  WARNING: expected only {figures['new_period']} to be rebuilt: the nightly build was not incremental "
              "(did generator/ or templates/ change during the run? their hash is part of every snapshot)")
    print(f"  ms per rendered page = nightly wall time {nightly['wall_s'] * 1000:,.0f} ms ÷ "
          f"{figures['nightly_files']:,} files of the rebuilt snapshot(s) = {figures['nightly_ms_per_file']:.2f} ms")
    for number, pair in enumerate(figures["paired_floor"], start=1):
        print(f"  run {number}: floor of {figures['floor_pages']:,} pages {pair['floor_before_s']:.2f} s before, "
              f"{pair['floor_after_s']:.2f} s after; nightly {pair['nightly_s']:.1f} s; "
              f"ms per file ÷ floor ms per page = {pair['ratio']:.1f}×")
    print(f"manager pages of {figures['latest_period']}: {figures['manager_pages']:,}, average "
          f"{figures['manager_page_avg_bytes']:,.0f} B, largest {figures['manager_page_max_bytes']:,} B; "
          f"largest search-index.js {figures['search_index_max_bytes']:,} B")


def _with_workers(build_figures: dict) -> str:
    peak = build_figures["tree_peak_bytes"]
    return "" if peak is None else f" (with its workers, PSS: {peak / MIB:,.0f} MiB)"


def print_report(full: dict, half: dict | None, floor: dict) -> list[tuple[str, str, str, str]]:
    for figures in filter(None, (full, half)):
        print_size(figures)
    print(f"\njinja2 floor: {floor['pages']:,} pages with a {FLOOR_ROWS}-row table rendered and written in "
          f"{floor['total_s']:.2f} s (best of {floor['repeats']}) = {floor['ms_per_page']:.3f} ms per page")
    rows = checks(full, half, floor)
    widths = [max(len(row[i]) for row in rows + [("figure", "value", "target", "")]) for i in range(3)]
    print("\n" + "  ".join(("figure".ljust(widths[0]), "value".ljust(widths[1]), "target".ljust(widths[2]), "result")))
    for row in rows:
        print("  ".join((row[0].ljust(widths[0]), row[1].ljust(widths[1]), row[2].ljust(widths[2]), row[3])))
    return rows


# --- main ----------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--managers", type=int, default=20000)
    parser.add_argument("--units", type=int, default=1500)
    parser.add_argument("--periods", type=int, default=36)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, default=None,
                        help="folder for data, sites and logs (default: a temporary folder, removed at the end)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the work folder and the built sites (without it the sites are deleted as soon "
                             "as they are measured; in --work the data and logs stay)")
    parser.add_argument("--skip-half", action="store_true", help="skip the half-size run (no growth ratios)")
    parser.add_argument("--quiet-seconds", type=float, default=QUIET_S, metavar="S",
                        help=f"pause before each timed nightly run and floor pass (default {QUIET_S})")
    parser.add_argument("--json", type=Path, default=None, metavar="FILE", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if args.periods < 2:
        parser.error("--periods must be at least 2: the nightly build adds the last one to the others")
    return args


def measure_all(args: argparse.Namespace, work: Path) -> tuple[dict, dict | None, dict]:
    full = measure_size(work, "full", args.managers, args.units, args.periods, args.seed, args.keep)
    half = None if args.skip_half else measure_size(work, "half", max(1, args.managers // 2),
                                                    max(1, args.units // 2), args.periods, args.seed, args.keep)
    _progress(f"jinja2 floor: {full['nightly_files']} pages")
    floor = jinja2_floor(full["nightly_files"], work / "floor")
    shutil.rmtree(work / "floor", ignore_errors=True)
    return full, half, floor


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    set_quiet(args.quiet_seconds)
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="cm-bench-"))
    try:
        full, half, floor = measure_all(args, work)
    except StepFailed as failure:
        print(f"\nbenchmark stopped: {failure}", file=sys.stderr)
        return 1
    finally:
        if args.work is None and not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    rows = print_report(full, half, floor)
    print(f"\nwork folder: {work if args.work or args.keep else '(temporary, removed)'}")
    if args.json:
        args.json.write_text(json.dumps({"full": full, "half": half, "floor": floor, "targets": TARGETS,
                                         "checks": [dict(zip(("figure", "value", "target", "result"), row))
                                                    for row in rows]}, ensure_ascii=False, indent=1) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
