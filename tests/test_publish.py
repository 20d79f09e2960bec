"""The swap in generator/archive/publish.py: `--out` is a symlink to a release folder, replaced by
rename(2); the unchanged snapshot folders are hard-linked from the published release into the new
one, which stays whole for rollback. A build stopped before any step of the swap leaves the old
site or the new one at `--out`, complete, and the next build publishes cleanly."""
from __future__ import annotations

import errno
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest

from generator.archive import publish as publishing
from generator.archive.publish import publish, release_of, releases_path, restore_interrupted_swap
from tests.swapsteps import stepping


def tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def put(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(text, encoding="utf-8")


OLD = {"index.html": "home of September", "2026-08/index.html": "August", "2026-08/managers/1.html": "A1",
       "2026-09/index.html": "September", "2026-Q3/rankings.html": "Q3", "quality/2026-08.html": "q8"}
# the nightly renders October and the home page, links quality/2026-08.html, and carries the three folders
NEW_WRITTEN = {"index.html": "home of October", "2026-10/index.html": "October", "quality/2026-10.html": "q10"}
CARRIED = ["2026-08", "2026-09", "2026-Q3"]


def nightly(staging: Path) -> list[str]:
    put(staging, NEW_WRITTEN)
    os.link(staging.parent / "site" / "quality/2026-08.html", staging / "quality/2026-08.html")
    return CARRIED


def expected_new() -> dict[str, str]:
    carried = {f: t for f, t in OLD.items() if f.split("/")[0] in CARRIED or f == "quality/2026-08.html"}
    return tree_of({**carried, **NEW_WRITTEN})


def tree_of(files: dict[str, str]) -> dict[str, str]:
    return {f: hashlib.sha256(t.encode()).hexdigest() for f, t in sorted(files.items())}


def beside(site: Path) -> list[str]:
    return sorted(p.name for p in site.parent.iterdir())


def releases(site: Path) -> list[str]:
    return sorted(p.name for p in releases_path(site).iterdir())


@pytest.fixture
def site(tmp_path) -> Path:
    """A site as an older version published it: a real folder."""
    out = tmp_path / "published" / "site"
    put(out, OLD)
    return out


@pytest.fixture
def linked(site) -> Path:
    """The same site as this version publishes it: a symlink to a release."""
    publish(site, lambda staging: (put(staging, OLD), [])[1])
    assert release_of(site) is not None and tree(site) == tree_of(OLD)
    return site


def test_the_carried_folders_are_linked_and_the_previous_release_stays_whole(linked):
    inode = (linked / "2026-08/managers/1.html").stat().st_ino
    publish(linked, nightly)
    assert tree(linked) == expected_new()
    assert (linked / "2026-08/managers/1.html").stat().st_ino == inode  # a link, not a copy
    assert os.readlink(linked) == ".site.releases/3"
    assert tree(releases_path(linked) / "2") == tree_of(OLD), "the previous release is the old site, whole"
    assert beside(linked) == [".site.lock", ".site.releases", "site"]


def test_a_real_folder_of_an_older_version_becomes_the_previous_release(site):
    publish(site, nightly)
    assert site.is_symlink() and tree(site) == expected_new()
    assert releases(site) == ["1", "2"] and os.readlink(site) == ".site.releases/2"
    assert tree(releases_path(site) / "1") == tree_of(OLD)


def test_only_the_release_before_is_kept_and_rollback_is_a_symlink(linked):
    publish(linked, nightly)
    publish(linked, nightly)
    assert releases(linked) == ["3", "4"]
    # rollback as README says: a new symlink renamed over the published one
    os.symlink(".site.releases/3", linked.parent / ".site.rollback")
    subprocess.run(["mv", "-T", str(linked.parent / ".site.rollback"), str(linked)], check=True)
    assert tree(linked) == expected_new()
    publish(linked, nightly)  # the next build starts from the release rolled back to
    assert releases(linked) == ["3", "5"] and tree(linked) == expected_new()


class Killed(BaseException):
    """Where a SIGKILL would stop the build: no code catches it."""


def swap_steps(out: Path) -> int:
    """The number of file-system steps of the nightly swap from the state in `out` (on a copy)."""
    copy = out.parent.parent / f"{out.parent.name}-count"
    subprocess.run(["cp", "-a", str(out.parent), str(copy)], check=True)
    with publishing.only_build(copy / "site"), publishing.Publication(copy / "site") as publication:
        carried = nightly(publication.staging)
        with stepping(lambda index, name: None) as taken:
            publication.swap(carried)
    return len(taken)


def stop_before(step: int, out: Path) -> None:
    def before(index: int, name: str) -> None:
        if index == step:
            raise Killed(f"before step {index} ({name})")

    with publishing.only_build(out), publishing.Publication(out) as publication:
        carried = nightly(publication.staging)
        with stepping(before):
            publication.swap(carried)


@pytest.mark.parametrize("start", ["real folder", "symlink"])
def test_a_build_stopped_before_any_step_of_the_swap_leaves_a_whole_site(site, start):
    if start == "symlink":
        publish(site, lambda staging: (put(staging, OLD), [])[1])
    pristine = site.parent.parent / "pristine"
    subprocess.run(["cp", "-a", str(site.parent), str(pristine)], check=True)
    steps = swap_steps(site)
    assert steps > 10
    for step in range(steps + 1):
        subprocess.run(["rm", "-rf", str(site.parent)], check=True)
        subprocess.run(["cp", "-a", str(pristine), str(site.parent)], check=True)
        try:
            stop_before(step, site)
        except Killed:
            pass
        assert tree(site) in (tree_of(OLD), expected_new()), f"stopped before step {step}"
        publish(site, nightly)  # the next build
        assert tree(site) == expected_new(), f"stopped before step {step}"
        assert beside(site) == [".site.lock", ".site.releases", "site"], f"stopped before step {step}"
        assert len(releases(site)) == 2, f"stopped before step {step}: {releases(site)}"


def test_without_an_exchange_a_build_killed_while_converting_is_repaired(site, monkeypatch):
    """On a file system without RENAME_EXCHANGE the real folder is moved aside before the symlink
    takes its place: a build killed in that moment leaves no `out`, and the next build points it
    at the newest release (the new site, whole) before anything else."""
    def no_exchange(first, second):
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(publishing, "_exchange", no_exchange)
    real_symlink = os.symlink

    def killed_at_the_last_symlink(target, link, *args, **kwargs):
        if Path(link) == site:
            raise Killed("between the rename and the symlink")
        real_symlink(target, link, *args, **kwargs)

    monkeypatch.setattr(os, "symlink", killed_at_the_last_symlink)
    with pytest.raises(Killed):
        publish(site, nightly)
    monkeypatch.setattr(os, "symlink", real_symlink)
    assert not os.path.lexists(site)
    restore_interrupted_swap(site)  # what the next build does first, under the lock
    assert tree(site) == expected_new()
    publish(site, nightly)
    assert tree(site) == expected_new() and releases(site) == ["2", "3"]


def test_a_swap_an_older_version_left_half_done_is_undone(site):
    """An older version swapped by two renames, moving the carried folders in between: killed there,
    it left the old site as `.site.retired`, some folders in the staging folder and a journal."""
    retired = site.parent / ".site.retired"
    site.rename(retired)
    staging = site.parent / ".site.staging"
    put(staging, NEW_WRITTEN)
    (retired / "2026-08").rename(staging / "2026-08")
    (site.parent / ".site.carried.json").write_text(json.dumps(CARRIED), encoding="utf-8")
    restore_interrupted_swap(site)
    assert tree(site) == tree_of(OLD) and beside(site) == ["site"]


def test_a_failed_write_changes_nothing(linked):
    def failing(staging: Path) -> list[str]:
        nightly(staging)
        raise RuntimeError("render failed")

    published = os.readlink(linked)
    with pytest.raises(RuntimeError):
        publish(linked, failing)
    assert tree(linked) == tree_of(OLD) and os.readlink(linked) == published
    assert beside(linked) == [".site.lock", ".site.releases", "site"]
