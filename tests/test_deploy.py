"""The pipelines' publish step, `deploy/publish.sh`, against a local web-server folder: each night
a release hard-linked to the one before for unchanged files, `current` switched only to a
complete release, 14 releases kept at about the cost of one site plus the nights' changes."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY, run_build

PUBLISH = ROOT / "deploy" / "publish.sh"
FAKE_SSH = '#!/bin/sh\n# ssh to "host": runs the command here\nshift\nexec sh -c "$*"\n'

pytestmark = pytest.mark.skipif(shutil.which("rsync") is None,
                                reason="needs rsync (sh scripts/install-system-packages.sh)")


@pytest.fixture(scope="module")
def nights(tmp_path_factory) -> tuple[Path, Path]:
    """Two nights of the tiny bank's site: 2026-09 alone, then the nightly build adding 2026-10
    into the same site (2026-09's snapshot carried over, as on the build machine)."""
    work = tmp_path_factory.mktemp("nights")
    bank, site = work / "bank", work / "site"
    shutil.copytree(TINY, bank)
    shutil.move(bank / "periods/2026-10", work / "held")
    assert run_build("--config", str(bank / "site_config.yml"), "--out", str(site)).returncode == 0
    shutil.copytree(site, work / "night1", symlinks=True)  # copy2: the files keep their times
    shutil.move(work / "held", bank / "periods/2026-10")
    second = run_build("--config", str(bank / "site_config.yml"), "--out", str(site))
    assert second.returncode == 0 and "1 fresh (2026-09)" in second.stderr, second.stderr
    return work / "night1", site


def publish(site: Path, dest: str | Path, release: str, *options: str, env: dict | None = None):
    return subprocess.run(["sh", str(PUBLISH), "--release", release, *options, str(site), str(dest)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def files(folder: Path) -> dict[str, os.stat_result]:
    return {str(path.relative_to(folder)): path.stat() for path in folder.rglob("*") if path.is_file()}


def identity(folder: Path) -> dict[str, tuple[int, int, int]]:
    """Each file's inode, size and time: the same means untouched (rsync never writes in place)."""
    return {name: (stat.st_ino, stat.st_size, stat.st_mtime_ns) for name, stat in files(folder).items()}


def literal_bytes(output: str) -> int:
    return int(re.search(r"^Literal data: ([\d,]+)", output, re.MULTILINE).group(1).replace(",", ""))


def disk_kib(path: Path) -> int:
    """du counts a file with several hard links once."""
    return int(subprocess.run(["du", "-sk", str(path)], capture_output=True, text=True, check=True).stdout.split()[0])


def another_night(night: Path, folder: Path, number: int) -> Path:
    """The site again with the home page changed, as a night without a new period."""
    shutil.copytree(night, folder, symlinks=True)
    home = folder / "index.html"
    home.write_text(home.read_text(encoding="utf-8") + f"<!-- night {number} -->\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("remote", [False, True], ids=["local-folder", "host:path"])
def test_the_second_night_sends_what_changed_and_links_the_rest(nights, tmp_path, remote):
    night1, night2 = nights
    web, env = tmp_path / "web", {}
    dest = str(web)
    if remote:  # through ssh: the server's side of the script runs from its stdin
        (tmp_path / "ssh").write_text(FAKE_SSH)
        (tmp_path / "ssh").chmod(0o755)
        dest, env = f"webserver:{web}", {"PUBLISH_SSH": str(tmp_path / "ssh")}
    first = publish(night1, dest, "20261001T033000Z", env=env)
    assert first.returncode == 0, first.stderr
    assert os.readlink(web / "current") == "releases/20261001T033000Z"
    second = publish(night2, dest, "20261101T033000Z", env=env)
    assert second.returncode == 0, second.stderr
    assert os.readlink(web / "current") == "releases/20261101T033000Z"

    old, new = files(web / "releases/20261001T033000Z"), files(web / "releases/20261101T033000Z")
    assert new.keys() == files(night2).keys() and old.keys() == files(night1).keys()
    unchanged = [name for name, stat in new.items()
                 if name in old and (old[name].st_size, old[name].st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)]
    carried = [name for name in new if name.startswith("2026-09/")]
    assert carried and set(carried) <= set(unchanged)  # the carried snapshot costs nothing
    assert all(new[name].st_ino == old[name].st_ino for name in unchanged)
    assert (web / "current/index.html").read_bytes() == (night2 / "index.html").read_bytes()
    copied = sum(stat.st_size for name, stat in new.items() if name not in unchanged)
    assert literal_bytes(second.stdout) <= copied
    if remote:  # files written again with the same bytes (assets/) are matched by rsync's deltas
        assert literal_bytes(second.stdout) < copied / 3, second.stdout
    assert not (web / "releases/.incoming").exists() and not (web / "current.new").exists()


def test_fourteen_releases_are_kept_at_the_cost_of_one_site_and_the_changes(nights, tmp_path):
    night1, night2 = nights
    web = tmp_path / "web"
    sites = [night1, night2] + [another_night(night2, tmp_path / f"n{number}", number) for number in range(3, 18)]
    for number, site in enumerate(sites, start=1):
        assert publish(site, web, f"2026-night-{number:02d}").returncode == 0
    kept = sorted(path.name for path in (web / "releases").iterdir())
    assert kept == [f"2026-night-{number:02d}" for number in range(4, 18)]  # the newest 14
    assert os.readlink(web / "current") == "releases/2026-night-17"

    one_site = disk_kib(web / "releases/2026-night-17")
    folders = sum(1 for path in night2.rglob("*") if path.is_dir()) + 1
    home_kib = -(-(web / "current/index.html").stat().st_size // 4096) * 4
    # nights 4-17 differ only in the home page: each costs that page and its own folders
    assert one_site < disk_kib(web / "releases") <= one_site + 13 * (home_kib + 4 * folders) + 64  # a big folder
    stored = {stat.st_ino for release in kept for stat in files(web / "releases" / release).values()}
    assert len(stored) == len(files(night2)) + 13  # 14 full copies stored 14 times as many


def test_a_release_that_sorts_first_is_kept_while_current(nights, tmp_path):
    night1, night2 = nights
    web = tmp_path / "web"
    for number in range(1, 3):
        assert publish(night2, web, f"b-{number}", "--keep", "2").returncode == 0
    assert publish(night1, web, "a-rolled-clock", "--keep", "2").returncode == 0
    assert os.readlink(web / "current") == "releases/a-rolled-clock"
    assert (web / "current/manifest.json").read_bytes() == (night1 / "manifest.json").read_bytes()


def failing_rsync(folder: Path, code: int) -> dict:
    """An rsync that copies part of the site, then fails as on a full disk or a lost connection."""
    folder.mkdir()
    real = shutil.which("rsync")
    (folder / "rsync").write_text(f'#!/bin/sh\n"{real}" --exclude="2026-10/" "$@"\nexit {code}\n')
    (folder / "rsync").chmod(0o755)
    return {"PATH": f"{folder}:{os.environ['PATH']}"}


def test_a_failed_copy_leaves_current_as_it_was_and_the_next_night_recovers(nights, tmp_path):
    night1, night2 = nights
    web = tmp_path / "web"
    assert publish(night1, web, "night-1").returncode == 0
    before = identity(web / "current")

    half = publish(night2, web, "night-2", env=failing_rsync(tmp_path / "bin", 11))
    assert half.returncode == 1
    assert "copying to" in half.stderr and "failed (rsync exit 11): current is as it was" in half.stderr
    assert os.readlink(web / "current") == "releases/night-1" and identity(web / "current") == before
    assert (web / "releases/.incoming").is_dir() and not (web / "releases/night-2").exists()

    assert publish(night2, web, "night-2").returncode == 0  # the partial copy is cleared, not mixed in
    assert files(web / "current").keys() == files(night2).keys()
    assert not (web / "releases/.incoming").exists()


def test_an_unreachable_or_unwritable_server_or_a_missing_site_changes_nothing(nights, tmp_path):
    night1, night2 = nights
    web = tmp_path / "web"
    assert publish(night1, web, "night-1").returncode == 0
    (tmp_path / "down").write_text("#!/bin/sh\necho 'ssh: connect to host webserver: No route to host' >&2\nexit 255\n")
    (tmp_path / "down").chmod(0o755)
    down = publish(night2, f"webserver:{web}", "night-2", env={"PUBLISH_SSH": str(tmp_path / "down")})
    assert down.returncode == 1 and "failed (exit 255, see above): current is as it was" in down.stderr

    unwritable = tmp_path / "unwritable"
    unwritable.mkdir()
    (unwritable / "releases").write_text("a file where the releases folder should be")
    refused = publish(night2, unwritable, "night-2")
    assert refused.returncode == 1 and f"cannot create {unwritable}/releases" in refused.stderr

    for site, words in ((tmp_path / "nowhere", "does not exist: build the site first"),
                        (night2 / "assets", "manifest.json is missing")):
        missing = publish(site, web, "night-2")
        assert missing.returncode == 2 and words in missing.stderr and "nothing was published" in missing.stderr
    assert publish(night2, web, "night-1").returncode == 2  # that release exists: never copied into
    assert os.readlink(web / "current") == "releases/night-1"
    assert sorted(path.name for path in (web / "releases").iterdir()) == ["night-1"]
    assert files(web / "current").keys() == files(night1).keys()


def test_the_site_may_be_a_symlink_to_the_built_folder(nights, tmp_path):
    (tmp_path / "site").symlink_to(nights[1])
    assert publish(tmp_path / "site", tmp_path / "web", "night-1").returncode == 0
    assert (tmp_path / "web/releases/night-1").is_dir() and not (tmp_path / "web/releases/night-1").is_symlink()
    assert files(tmp_path / "web/current").keys() == files(nights[1]).keys()


def test_both_pipelines_publish_the_built_folder_with_the_script():
    for name in ("github-actions-nightly.yml", "gitlab-ci-nightly.yml"):
        text = (ROOT / "deploy" / name).read_text(encoding="utf-8")
        assert 'sh deploy/publish.sh "$SITE" "$WEB_HOST:$WEB_ROOT"' in text, name
        assert "--out \"$SITE\"" in text and text.index("python build.py") < text.index("deploy/publish.sh")
        assert "releases/" not in text.replace("releases/<time>/", ""), f"{name}: the release logic is the script's"
