"""Nightly CI builds must be deterministic: the same inputs give the same site, byte for byte,
whatever the machine's time zone, locale, hash seed, temp folder, working folder or output folder.

The tiny bank (both periods) is built twice, each in a separate `build.py` process with its own
environment, and the two trees are compared file by file.
"""
from __future__ import annotations

import difflib
import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TINY

SOURCE_DATE_EPOCH = "1790000000"  # the same in both builds, as a reproducible-builds CI sets it
SHOWN_DIFFERENCES = 3
DIFF_LINES = 40


def environment(tmp: Path, **overrides: str) -> dict[str, str]:
    """The caller's environment without any locale or time-zone setting of its own, plus `overrides`."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("LC_") and key not in {"LANG", "LANGUAGE", "TZ", "PYTHONHASHSEED", "LOCPATH",
                                                         "SOURCE_DATE_EPOCH", "TMPDIR"}}
    tmp.mkdir(parents=True, exist_ok=True)
    env.update(SOURCE_DATE_EPOCH=SOURCE_DATE_EPOCH, TMPDIR=str(tmp), **overrides)
    return env


def _locale_works(name: str, extra: dict[str, str]) -> bool:
    check = "import locale; locale.setlocale(locale.LC_ALL, '')"
    env = {**os.environ, **extra, "LC_ALL": name}
    return subprocess.run([sys.executable, "-c", check], env=env, capture_output=True).returncode == 0


@pytest.fixture(scope="module")
def foreign_locale(tmp_path_factory) -> dict[str, str]:
    """A real non-English UTF-8 locale for the second build: zh_CN.UTF-8 (else de_DE.UTF-8) when
    installed; else compiled with localedef into a private folder and found through LOCPATH, so the
    machine is not changed. When neither works (only C/POSIX and no locale sources), the variables
    still differ in name, and glibc falls back to the C locale: the test then varies less than it says."""
    for name in ("zh_CN.UTF-8", "de_DE.UTF-8"):
        if _locale_works(name, {}):
            return {"LANG": name, "LC_ALL": name}
    folder = tmp_path_factory.mktemp("locales")
    for name, source in (("zh_CN.UTF-8", "zh_CN"), ("de_DE.UTF-8", "de_DE")):
        if shutil.which("localedef"):
            subprocess.run(["localedef", "-i", source, "-f", "UTF-8", str(folder / name)], capture_output=True)
            if _locale_works(name, {"LOCPATH": str(folder)}):
                return {"LANG": name, "LC_ALL": name, "LOCPATH": str(folder)}
    return {"LANG": "zh_CN.UTF-8", "LC_ALL": "zh_CN.UTF-8"}  # not installed: differs in name only


def tree(root: Path) -> dict[str, bytes | None]:
    """Relative path -> bytes of every file (None for a folder), so empty folders count too."""
    return {path.relative_to(root).as_posix(): None if path.is_dir() else path.read_bytes()
            for path in sorted(root.rglob("*"))}


def describe_differences(first: dict[str, bytes | None], second: dict[str, bytes | None]) -> str:
    only_first, only_second = sorted(first.keys() - second.keys()), sorted(second.keys() - first.keys())
    differing = sorted(name for name in first.keys() & second.keys() if first[name] != second[name])
    lines = [f"{len(differing)} file(s) differ, {len(only_first)} only in the UTC build, "
             f"{len(only_second)} only in the other build"]
    lines += [f"  only in UTC build: {name}" for name in only_first[:10]]
    lines += [f"  only in other build: {name}" for name in only_second[:10]]
    lines += [f"  differs: {name}" for name in differing[:20]]
    for name in differing[:SHOWN_DIFFERENCES]:
        a, b = first[name] or b"", second[name] or b""
        try:
            diff = list(difflib.unified_diff(a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines(),
                                             f"utc/{name}", f"other/{name}", n=1, lineterm=""))
        except UnicodeDecodeError:
            diff = [f"binary {name}: {len(a)} bytes sha256 {hashlib.sha256(a).hexdigest()[:16]} vs "
                    f"{len(b)} bytes sha256 {hashlib.sha256(b).hexdigest()[:16]}"]
        if not diff:  # same text, other bytes: line endings or a trailing newline
            diff = [f"{name}: same lines, different bytes ({len(a)} vs {len(b)})"]
        lines += [line[:300] for line in diff[:DIFF_LINES]]
        if len(diff) > DIFF_LINES:
            lines.append(f"  … {len(diff) - DIFF_LINES} more diff lines")
    return "\n".join(lines)


def test_builds_in_different_environments_are_byte_identical(tmp_path, foreign_locale):
    first_env = environment(tmp_path / "tmp-utc", TZ="UTC", LANG="C.UTF-8", LC_ALL="C.UTF-8", PYTHONHASHSEED="0")
    second_env = environment(tmp_path / "tmp-other" / "nested", TZ="Asia/Shanghai", PYTHONHASHSEED="12345",
                             **foreign_locale)
    first_out = tmp_path / "utc" / "site"
    second_out = tmp_path / "other" / "elsewhere" / "public_html"  # another folder, name and depth
    second_cwd = tmp_path / "cwd"
    second_cwd.mkdir()
    # both at once: two cores build the two sites in about the time of one
    runs = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--config", str(TINY / "site_config.yml"),
                              "--out", str(out)], cwd=cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
            for out, env, cwd in ((first_out, first_env, ROOT), (second_out, second_env, second_cwd))]
    for run in runs:
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stdout + stderr

    first, second = tree(first_out), tree(second_out)
    assert len(first) > 100, "the tiny build should publish well over 100 files"
    assert sorted(first) == sorted(second), describe_differences(first, second)
    assert first == second, describe_differences(first, second)


def test_environment_really_differs(foreign_locale, tmp_path):
    """Guard against a vacuous pass: the second environment's time zone and locale are in effect."""
    probe = ("import locale, time\n"
             "try:\n    name = locale.setlocale(locale.LC_ALL, '')\n"
             "except locale.Error:\n    name = 'C'\n"
             "print(time.strftime('%z', time.localtime(0)), name)")
    env = environment(tmp_path / "tmp", TZ="Asia/Shanghai", **foreign_locale)
    shown = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    offset, name = shown.stdout.split()
    assert offset == "+0800", "Asia/Shanghai is not in effect (tzdata missing?)"
    if "LOCPATH" in foreign_locale or name != "C":
        assert name == foreign_locale["LC_ALL"], shown.stdout
