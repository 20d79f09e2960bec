"""`python build.py`: validate the extracts and publish the site. Messages, not tracebacks."""
from __future__ import annotations

import argparse
import sys
import traceback
from collections import Counter
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

from generator.archive.snapshots import Plan
from generator.errors import (
    EXIT_CONFIG_ERROR,
    EXIT_DATA_ERROR,
    EXIT_ENVIRONMENT,
    EXIT_OK,
    BuildError,
    environment_fault,
    is_environment_fault,
)
from generator.extract.dataset import Dataset
from generator.pipeline import NOT_JUDGED_BY_CHECK, BuildOptions, StrictRefusal, build
from generator.render.workers import available_jobs
from generator.resources import code_version

EXIT_INTERNAL_ERROR = 3
EXIT_INTERRUPTED = 130
SHOWN_ISSUES = 30

DESCRIPTION = """Build the customer-manager reporting site from a bank's periodic CSV extracts.

Exit codes: 0 built (or, with --check, valid); 1 data errors, nothing published;
2 config or usage error (an --out or --cache that would overwrite what the build does not own,
another build publishing to the same --out); 3 internal error (a bug: rerun with --debug and report it);
4 built but not published: the site would shrink sharply or too many rows were rejected
(--force publishes anyway), or a file of a role in data.fail_on_reject has rejected
rows; 5 the machine failed the build: a folder could not be written (disk
full, read-only, no permission) or a page-rendering process was killed; nothing published, the
message names the path and the fix.
Environment: SOURCE_DATE_EPOCH, when set, is the build time shown on the pages: whole seconds
since 1970 (digits only, at most 4294967295); anything else, empty included, is exit 2."""


def parse_args(argv: list[str] | None, prog: str = "python build.py") -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=Path("site_config.yml"),
                        help="site configuration file (default: site_config.yml)")
    parser.add_argument("--data", type=Path, default=None,
                        help="folder of the extracts; overrides data.directory of the config")
    parser.add_argument("--out", type=Path, default=Path("site"),
                        help="where the site is published (default: site/); replaced only by a complete build")
    parser.add_argument("--period", action="append", default=[], metavar="ID",
                        help="build only this period, e.g. 2026-10 or 2026-Q3 (repeat or comma-separate for "
                             "several); all periods are still read, as history")
    parser.add_argument("--check", action="store_true",
                        help="validate the config and data only; write nothing")
    parser.add_argument("--strict", action="store_true",
                        help="treat rejected rows and warnings as errors: exit 1 and publish nothing")
    parser.add_argument("--audience", metavar="UNIT",
                        help="build a site for one branch: only the managers and units under this unit ID, "
                             "with bank-wide ranks shown as ranks only")
    parser.add_argument("--rewrite-closed", action="store_true",
                        help="rebuild closed periods (periods.closed_through) whose input changed in place, "
                             "instead of publishing the correction as a revision beside the original")
    parser.add_argument("--force", action="store_true",
                        help="publish even when the guards refuse: the site shrinks sharply or too many rows "
                             "are rejected (publish.max_page_drop, publish.max_reject_rate)")
    parser.add_argument("--published-manifest", type=Path, default=None, metavar="FILE",
                        help="manifest.json of the site now published, for the guards (default: the one in "
                             "--out); CI fetches it from the web server")
    parser.add_argument("--cache", type=Path, default=None, metavar="DIR",
                        help="where to keep what later builds can reuse: periods parsed and assessed from "
                             "unchanged inputs (default: .<out>.cache beside --out; keep it between nightly builds)")
    parser.add_argument("--no-cache", action="store_true", help="read and assess every period from scratch")
    parser.add_argument("--jobs", type=int, default=available_jobs(), metavar="N",
                        help="render each period's pages in N processes (default: the cores available, "
                             f"here {available_jobs()}); the pages are the same for any N")
    parser.add_argument("--wait", type=_seconds, default=0.0, metavar="SECONDS",
                        help="when another build is publishing to the same --out, wait up to SECONDS for it to "
                             "finish (default 0: stop at once with exit 2, saying which build holds it)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    parser.add_argument("--version", action="version", version=version_text(),
                        help="show the generator's version (package and code hash) and exit")
    return parser.parse_args(argv)


def version_text() -> str:
    """The package's version and the hash of its code and templates, as every snapshot's manifest names it."""
    try:
        package = metadata.version("cm-report-site")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        package = "not installed"
    return f"cm-report-site {package} (code {code_version()[:16]})"


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return seconds


def main(argv: list[str] | None = None, prog: str = "python build.py") -> int:
    args = parse_args(argv, prog)
    try:
        return run(args)
    except StrictRefusal as exc:
        print(*exc.messages, file=sys.stderr)
        return exc.exit_code
    except BuildError as exc:
        _print_messages(exc.messages)
        return exc.exit_code
    except OSError as exc:
        if not is_environment_fault(exc):
            return _internal_error(exc, args.debug)
        _print_messages(environment_fault(exc, args.out).messages)
        return EXIT_ENVIRONMENT
    except KeyboardInterrupt:
        print("interrupted: the published site was left as it was", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        return _internal_error(exc, args.debug)


def _internal_error(exc: Exception, debug: bool) -> int:
    """A bug, not bad input or the machine: say so instead of dumping a traceback."""
    if debug:
        traceback.print_exception(exc)
    else:
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the generator, not in your data. Rerun with --debug and report the output.",
              file=sys.stderr)
    return EXIT_INTERNAL_ERROR


def run(args: argparse.Namespace) -> int:
    built = build(options_from(args), TerminalReporter())
    if built is None:
        return EXIT_OK
    manifest = built.manifest
    print(built.cache_summary, file=sys.stderr)
    print(f"published {len(built.periods)} period(s) to {args.out}: {manifest['files']} files, "
          f"{manifest['rows_read']} rows read, {manifest['rejected']} rejected, in {built.seconds:.1f} s")
    print(f"open {(args.out / 'index.html').absolute().as_uri()} in a browser (it works offline, from file://)")
    return EXIT_OK


def options_from(args: argparse.Namespace) -> BuildOptions:
    return BuildOptions(config=args.config, data=args.data, out=args.out, periods=tuple(args.period),
                        check=args.check, strict=args.strict, audience=args.audience,
                        rewrite_closed=args.rewrite_closed, force=args.force,
                        published_manifest=args.published_manifest, cache=args.cache, no_cache=args.no_cache,
                        jobs=args.jobs, wait=args.wait)


class TerminalReporter:
    """The build's Reporter: a summary of the data, progress, the plan and forced guards."""

    def config_warnings(self, warnings: list[str]) -> None:
        for warning in warnings:
            print(f"WARNING: {warning}", file=sys.stderr)

    def dataset(self, dataset: Dataset) -> None:
        _print_summary(dataset)

    def checked(self, dataset: Dataset) -> None:
        print("check passed: config and data are valid" + (" (with the issues above)" if dataset.issues else "")
              + "; the reject guards would not refuse the build")
        print(NOT_JUDGED_BY_CHECK)

    def progress(self, total: int) -> Callable[[str], None]:
        return Progress(total)

    def plan(self, plan: Plan) -> None:
        for warning in plan.warnings:
            print(f"WARNING: {warning}", file=sys.stderr)
        print(f"snapshots: {len(plan.fresh)} fresh ({_span(plan.fresh)}), {len(plan.render)} rebuilt "
              f"({_span(sorted(plan.render))}), {len(plan.revise)} revision(s)", file=sys.stderr)

    def forced(self, problems: list[str]) -> None:
        for problem in problems:
            print(f"--force: published although {problem.split('. Fix:')[0]}", file=sys.stderr)

    def warning(self, message: str) -> None:
        print(f"WARNING: {message}", file=sys.stderr, flush=True)
    def waiting(self, message: str) -> None:
        print(message, file=sys.stderr, flush=True)


def _span(periods: list[str]) -> str:
    if not periods:
        return "none"
    return periods[0] if len(periods) == 1 else f"{periods[0]} … {periods[-1]}"


class Progress:
    """Periods rendered so far: a bar on a terminal, a line per period in a CI log."""

    def __init__(self, total: int):
        self.total, self.done = total, 0
        self.terminal = sys.stderr.isatty()

    def __call__(self, period: str) -> None:
        self.done += 1
        if self.terminal:
            filled = round(30 * self.done / self.total)
            end = "\n" if self.done == self.total else ""
            print(f"\r[{'#' * filled}{'.' * (30 - filled)}] {self.done}/{self.total} {period}", end=end,
                  file=sys.stderr, flush=True)
        else:
            print(f"  rendered {period} ({self.done}/{self.total})", file=sys.stderr, flush=True)


def _print_summary(dataset: Dataset) -> None:
    encodings = Counter(item.encoding for item in dataset.inputs)
    rows = sum(item.rows for item in dataset.inputs)
    print(f"read {len(dataset.inputs)} files ({rows} rows) for {len(dataset.periods)} periods "
          f"{dataset.periods[0].id} … {dataset.periods[-1].id}; encodings: "
          + ", ".join(f"{name} {count}" for name, count in sorted(encodings.items())))
    rejected, warnings = dataset.count("reject"), dataset.count("warning")
    if not dataset.issues:
        print("data quality: no problems found")
        return
    print(f"data quality: {rejected} problem(s) rejecting rows (quarantined), {warnings} warning(s)")
    shown = sorted(dataset.issues, key=lambda i: (i.severity != "reject", i.period or "", i.file, i.row or 0))
    _print_messages([issue.describe() for issue in shown[:SHOWN_ISSUES]])
    if len(shown) > SHOWN_ISSUES:
        print(f"  … and {len(shown) - SHOWN_ISSUES} more: see the data-quality pages (quality/index.html)",
              file=sys.stderr)


def _print_messages(messages: list[str]) -> None:
    for message in messages:
        print(f"  {message}", file=sys.stderr)


__all__ = ["EXIT_CONFIG_ERROR", "EXIT_DATA_ERROR", "EXIT_ENVIRONMENT", "EXIT_INTERNAL_ERROR", "EXIT_OK", "main"]


def console(argv: list[str] | None = None) -> int:
    """`cm-report`, the command an installed package puts on the PATH ([project.scripts] in
    pyproject.toml): `cm-report build [options]` is `python build.py [options]` and
    `cm-report check [options]` is `python build.py --check [options]`."""
    parser = argparse.ArgumentParser(prog="cm-report", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="Both commands take the options of python build.py: "
                                            "cm-report build --help lists them.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="{build,check}")
    # add_help=False: the options, --help included, are left to parse_args
    commands.add_parser("build", add_help=False, help="validate the extracts and publish the site")
    commands.add_parser("check", add_help=False, help="validate the config and data only; write nothing")
    args, options = parser.parse_known_args(argv)
    return main((["--check"] if args.command == "check" else []) + options, prog=f"cm-report {args.command}")
