"""The corpus of malformed extracts in tests/malformed/: every case gives a clear message
(file, row, column, rule), a defined exit code and no traceback.

Each case is a folder holding only the files that differ from the tiny bank
(tests/fixtures/tiny), plus a case.yml:

    description: what is broken, and why the expected outcome is the right one
    exit: 0 | 1 | 2             # 0 row quarantined or warned, 1 data error, 2 config/usage error
    build_exit: 4               # optional: the build's exit when it differs from --check's (4 = publish refused)
    build_messages: [...]       # optional: fragments the build (not --check) must print
    messages:                   # each item: fragments that must all appear on ONE line of stderr
      - [periods/2026-09/performance.csv, row 5, column 日均存款余额, rule not_a_number]
    absent: [...]               # fragments that must appear nowhere in stdout or stderr
    quarantine:                 # exit 0 only: fragments of <period>.quarantine.csv in the published site
      2026-09: [...]
    remove: [...]               # paths deleted from the copy of the tiny bank
    mkdir: [...]                # empty folders created in it (git keeps no empty folder)
    generate:                   # files too big to keep in git: a line appended to the copied file
      <path>: {line: "…{fill}…", fill: {text: x, times: 10485760}}
    xfail: "why the loader misbehaves"  # a known bug: the case is expected to fail until fixed

The build runs in-process through generator.cli.main, which is what build.py calls: its
return value is the exit code and anything it prints is captured. An exception escaping
main() (which turns every exception into exit 3 "internal error") fails the case, as would
a traceback on the terminal. Python warnings count as terminal output too: a user would
see them on stderr.
"""
from __future__ import annotations

import shutil
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.cli import main
from tests.conftest import ROOT, TINY, run_build

CORPUS = ROOT / "tests" / "malformed"
CASE_KEYS = {"description", "exit", "build_exit", "build_messages", "messages", "absent", "quarantine", "remove",
             "mkdir", "generate", "args", "xfail"}


@dataclass
class Outcome:
    code: int
    stdout: str
    stderr: str

    def shown(self) -> str:
        return f"exit {self.code}\n--- stdout\n{self.stdout}--- stderr\n{self.stderr}"


def load_case(folder: Path) -> dict:
    case = yaml.safe_load((folder / "case.yml").read_text(encoding="utf-8"))
    unknown = set(case) - CASE_KEYS
    assert not unknown, f"{folder.name}/case.yml: unknown keys {sorted(unknown)}"
    assert case.get("description") and case.get("exit") in (0, 1, 2, 4), f"{folder.name}/case.yml: description, exit"
    return case


def case_params() -> list:
    params = []
    for folder in sorted(p for p in CORPUS.iterdir() if (p / "case.yml").is_file()):
        case = load_case(folder)
        marks = [pytest.mark.xfail(reason=case["xfail"], strict=True)] if case.get("xfail") else []
        params.append(pytest.param(folder, case, id=folder.name, marks=marks))
    return params


def make_bank(folder: Path, case: dict, root: Path) -> Path:
    """The tiny bank with the case's files laid over it; returns the config path."""
    bank = root / "bank"
    shutil.copytree(TINY, bank)
    for relative in case.get("remove", []):
        target = bank / relative
        shutil.rmtree(target) if target.is_dir() else target.unlink()
    for relative in case.get("mkdir", []):
        (bank / relative).mkdir(parents=True, exist_ok=True)
    for source in sorted(folder.rglob("*")):
        if source.is_file() and source.name != "case.yml":
            target = bank / source.relative_to(folder)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
    for relative, spec in case.get("generate", {}).items():
        fill = spec["fill"]["text"] * spec["fill"]["times"]
        with open(bank / relative, "ab") as stream:
            stream.write((spec["line"].replace("{fill}", fill) + "\n").encode("utf-8"))
    return bank / "site_config.yml"


def run_main(capsys, *args: str) -> Outcome:
    capsys.readouterr()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse usage errors
            code = exc.code
        except BaseException:  # main() must turn everything into a message and an exit code
            pytest.fail(f"exception escaped generator.cli.main:\n{traceback.format_exc()}")
    captured = capsys.readouterr()
    shown_warnings = "".join(warnings.formatwarning(w.message, w.category, w.filename, w.lineno) for w in caught)
    return Outcome(code, captured.out, captured.err + shown_warnings)


def assert_clear(outcome: Outcome, case: dict, expected_exit: int | None = None) -> None:
    assert outcome.code == (case["exit"] if expected_exit is None else expected_exit), outcome.shown()
    everything = outcome.stdout + outcome.stderr
    assert "Traceback" not in everything and "internal error" not in everything, outcome.shown()
    assert "Warning:" not in outcome.stderr, f"a Python warning reaches the terminal\n{outcome.shown()}"
    lines = outcome.stderr.splitlines()
    for fragments in case.get("messages", []):
        fragments = [fragments] if isinstance(fragments, str) else fragments
        assert any(all(f in line for f in fragments) for line in lines), \
            f"no stderr line holds all of {fragments}\n{outcome.shown()}"
    for fragment in case.get("absent", []):
        assert fragment not in everything, f"{fragment!r} should not appear\n{outcome.shown()}"


def assert_nothing_silently_dropped(config: Path) -> None:
    """Rows read = rows kept + rows quarantined, file by file (blank lines included)."""
    from generator.config.loading import load_config
    from generator.extract.loader import load_dataset

    dataset = load_dataset(load_config(config))
    quarantined: dict[str, set[int]] = {}
    for issue in dataset.issues:
        if issue.severity == "reject":
            quarantined.setdefault(issue.file, set()).add(issue.row)
    files = dataset.config.settings.periods.files
    tables = {"performance": dataset.performance, "targets": dataset.targets,
              "evaluations": dataset.evaluations, "violations": dataset.violations}
    for item in dataset.inputs:
        rejected = quarantined.get(item.label, set())
        if item.period is None:
            kept = len(dataset.units if item.label == dataset.config.settings.reference.units.file
                       else dataset.managers)
        else:
            name = next(n for n in tables if getattr(files, n) and item.label.endswith("/" + getattr(files, n).file))
            table = tables[name]
            kept_rows = set(table.loc[table["period"] == item.period, "_row"])
            assert not kept_rows & rejected, f"{item.label}: rows both kept and quarantined: {kept_rows & rejected}"
            kept = len(table[table["period"] == item.period])
        assert item.rows == kept + len(rejected), (
            f"{item.label}: {item.rows} rows read, but {kept} kept + {len(rejected)} quarantined")


@pytest.mark.parametrize("folder, case", case_params())
def test_malformed_extract(folder, case, tmp_path, capsys):
    config = make_bank(folder, case, tmp_path)
    extra = case.get("args", [])
    checked = run_main(capsys, "--config", str(config), "--check", *extra)
    assert_clear(checked, case)
    if case["exit"] not in (0, 4):  # 4: --check gives the guards' verdict, and so does the build
        return
    # A real build publishes the same verdict and the quarantined rows, verbatim.
    out = tmp_path / "site"
    built = run_main(capsys, "--config", str(config), "--out", str(out), *extra)
    assert_clear(built, case, case.get("build_exit"))
    for fragment in case.get("build_messages", []):
        assert fragment in built.stderr, f"{fragment!r} not printed by the build\n{built.shown()}"
    if case.get("build_exit"):
        assert not out.exists()
        return
    for period, fragments in case.get("quarantine", {}).items():
        text = (out / "quality" / f"{period}.quarantine.csv").read_text(encoding="utf-8-sig")
        for fragment in fragments:
            assert fragment in text, f"{fragment!r} not in {period}.quarantine.csv:\n{text}"
    assert_nothing_silently_dropped(config)


def test_corpus_covers_the_required_kinds():
    names = {p.name for p in CORPUS.iterdir() if (p / "case.yml").is_file()}
    assert len(names) >= 40, sorted(names)


@pytest.mark.parametrize("name", ["enc_utf16_bom", "cfg_key_typo"])
def test_in_process_run_matches_build_py(name, tmp_path, capsys):
    """Guards the shortcut above: build.py as a process gives the same exit code and words."""
    folder = CORPUS / name
    case = load_case(folder)
    config = make_bank(folder, case, tmp_path)
    result = run_build("--config", str(config), "--check")
    assert_clear(Outcome(result.returncode, result.stdout, result.stderr), case)
