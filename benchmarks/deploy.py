"""What publishing to the web server costs each night: bytes sent and disk used by the releases,
copying the whole site into each release (the old pipelines) against `deploy/publish.sh`.

    python benchmarks/deploy.py --work DIR --config CONFIG [--nights 14] [--keep]
    python benchmarks/deploy.py --work DIR --sites NIGHT1 NIGHT2 [--nights 14] [--keep]

Two nights of a site: with --config, NIGHT1 is built from the config's data without its last
period folder (moved aside and put back) and NIGHT2 is the nightly build adding it, into a
hard-linked copy of NIGHT1 with the same build cache, as the pipeline does with the published
site; with --sites, two sites built before. Then, through a stand-in for ssh that runs the
server's side here (so rsync works as over a network, with its delta transfer):

  old: `rsync -a --delete` of NIGHT2 into an empty release, as the old pipelines did every
       night; 14 releases hold 14 such copies (one is made; the disk figure is 14 times it);
  new: `deploy/publish.sh` for --nights nights: NIGHT1, NIGHT2, then NIGHT1 and NIGHT2 in
       turn (each night's change is one month added or taken away again);
  pull: what the pipeline's first step fetches from `current` into a runner folder kept
       from the night before (a fresh checkout fetches the whole site, as `old`).

Figures are printed, never judged; --json FILE writes them too. The releases are removed at
the end unless --keep.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # run as a script, Python puts only benchmarks/ on the path

from benchmarks.run import last_period_folder  # noqa: E402  (after the path it needs)

PUBLISH = REPO / "deploy" / "publish.sh"
FAKE_SSH = '#!/bin/sh\n# a stand-in for ssh: runs the remote command here\nshift\nexec sh -c "$*"\n'
STATS = {"sent": "Total bytes sent", "received": "Total bytes received", "literal": "Literal data",
         "files": "Number of regular files transferred"}


def stats(output: str) -> dict[str, int]:
    figures = {}
    for key, label in STATS.items():
        found = re.search(rf"^{label}: ([\d,]+)", output, re.MULTILINE)
        figures[key] = int(found.group(1).replace(",", "")) if found else -1
    return figures


def run(command: list[str], **options) -> tuple[subprocess.CompletedProcess, float]:
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        sys.exit(f"failed ({result.returncode}): {' '.join(command)}\n{result.stderr[-2000:]}")
    return result, time.perf_counter() - started


def disk_kib(*paths: Path) -> int:
    """`du -sk` of the paths together: a file with several hard links counts once."""
    output = run(["du", "-skc", *map(str, paths)])[0].stdout
    return int(output.splitlines()[-1].split()[0])


def build_nights(config: Path, work: Path) -> tuple[Path, Path]:
    night1, night2, cache, logs = work / "night1", work / "night2", work / "cache", work / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    for path in (night1, night2, cache):
        shutil.rmtree(path, ignore_errors=True)
    build = [sys.executable, str(REPO / "build.py"), "--config", str(config), "--cache", str(cache), "--out"]
    last = last_period_folder(config)
    held = work / "held" / last.name
    held.parent.mkdir(exist_ok=True)
    shutil.move(last, held)
    try:
        (logs / "night1.log").write_text(run([*build, str(night1)])[0].stderr)
    finally:
        shutil.move(held, last)  # never leave the data short of a period
    run(["cp", "-al", str(night1), str(night2)])  # the build writes beside and renames: night1 stays
    (logs / "night2.log").write_text(run([*build, str(night2)])[0].stderr)
    return night1, night2


def old_method(site: Path, work: Path, ssh: Path) -> dict:
    release = work / "old" / "releases" / "full"
    release.parent.mkdir(parents=True)
    result, seconds = run(["rsync", "-a", "--delete", "--stats", "-e", str(ssh), f"{site}/", f"localhost:{release}/"])
    return {**stats(result.stdout), "seconds": seconds, "release_kib": disk_kib(release)}


def new_method(nights: list[Path], work: Path, ssh: Path) -> list[dict]:
    figures = []
    for number, site in enumerate(nights, start=1):
        result, seconds = run(["sh", str(PUBLISH), "--release", f"night{number:02d}", str(site),
                               f"localhost:{work / 'new'}"], env={"PATH": "/usr/bin:/bin", "PUBLISH_SSH": str(ssh)})
        figures.append({"night": number, "site": site.name, **stats(result.stdout), "seconds": seconds})
    return figures


def pull_into_kept_folder(site: Path, work: Path, ssh: Path) -> dict:
    """The runner's folder holds the site it built last night (NIGHT2's files, hard-linked)."""
    runner = work / "runner-site"
    run(["cp", "-al", str(site), str(runner)])
    result, seconds = run(["rsync", "-a", "--delete", "--stats", "-e", str(ssh),
                           f"localhost:{work / 'new' / 'current'}/", f"{runner}/"])
    return {**stats(result.stdout), "seconds": seconds}


def report(figures: dict) -> None:
    old, nights, mib = figures["old"], figures["new"], 1024 ** 2
    print(f"site: {figures['site_files']:,} files, {figures['site_kib'] / 1024:,.1f} MiB on disk")
    print(f"old, every night: sent {old['sent'] / mib:,.1f} MiB (literal {old['literal'] / mib:,.1f} MiB) "
          f"in {old['seconds']:.1f} s; 14 releases: 14 x {old['release_kib'] / 1024:,.1f} MiB "
          f"= {14 * old['release_kib'] / 1024:,.1f} MiB")
    for night in nights:
        print(f"new, night {night['night']:2d} ({night['site']}): sent {night['sent'] / mib:9,.2f} MiB, literal "
              f"{night['literal'] / mib:9,.2f} MiB, {night['files']:7,} files copied, {night['seconds']:6.1f} s")
    print(f"new, {figures['releases']} releases kept: {figures['releases_kib'] / 1024:,.1f} MiB on disk "
          f"(one release alone: {figures['one_release_kib'] / 1024:,.1f} MiB)")
    pull = figures["pull"]
    print(f"pull into the runner's kept folder: received {pull['received'] / mib:,.2f} MiB, sent "
          f"{pull['sent'] / mib:,.2f} MiB, in {pull['seconds']:.1f} s")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="folder for the sites and the releases")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--config", type=Path, help="build the two nights from this config's data")
    source.add_argument("--sites", type=Path, nargs=2, metavar=("NIGHT1", "NIGHT2"), help="two built sites")
    parser.add_argument("--nights", type=int, default=14)
    parser.add_argument("--keep", action="store_true", help="keep the releases (old/ and new/ in --work)")
    parser.add_argument("--json", type=Path)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.work.resolve()
    for folder in ("old", "new", "runner-site"):
        shutil.rmtree(work / folder, ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    night1, night2 = build_nights(args.config.resolve(), work) if args.config else args.sites
    ssh = work / "fake-ssh"
    ssh.write_text(FAKE_SSH)
    ssh.chmod(0o755)
    figures: dict = {"site_files": sum(1 for path in night2.rglob("*") if path.is_file()),
                     "site_kib": disk_kib(night2), "old": old_method(night2, work, ssh)}
    sites = [night1, night2] + [(night1, night2)[number % 2] for number in range(args.nights - 2)]
    figures["new"] = new_method(sites, work, ssh)
    releases = work / "new" / "releases"
    figures["releases"] = sum(1 for _ in releases.iterdir())
    figures["releases_kib"] = disk_kib(releases)
    figures["one_release_kib"] = disk_kib((work / "new" / "current").resolve())
    figures["pull"] = pull_into_kept_folder(night2, work, ssh)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    if not args.keep:
        for folder in ("old", "new", "runner-site"):
            shutil.rmtree(work / folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
