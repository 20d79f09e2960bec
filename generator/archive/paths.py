"""Refusing, before anything is written, an `--out` or `--cache` the build would destroy what it
does not own with.

A build replaces `--out` whole (generator.archive.publish) and removes from `--cache` every file
it did not use (generator.cache.store): pointed at the wrong folder it would delete the extracts,
the config or the generator. Two generators guard the same mistakes, and this follows both:

- mkdocs refuses a `site_dir` and a `docs_dir` that lie inside one another (and a `docs_dir`
  that is the config file's folder): `config_options.SiteDir.post_validation` compares the
  absolute paths with a separator appended, so `site` is not taken to lie inside `site2`.
  Here the paths are compared resolved (symlinks and `..`), part by part.
- Hugo never deletes in its `publishDir` a file it did not make: it writes over its own output,
  and even `--cleanDestinationDir` removes only what the build does not produce. A build here
  replaces the whole folder, so it refuses one that holds anything but a site it published.

What is refused (exit 2, both paths named, with the fix):
- `--out` or `--cache` that is, contains or lies inside the data folder, or the generator's own
  folders (its package, templates and docs);
- `--out` or `--cache` that is or contains the config file's folder or the project checkout
  (a site beside site_config.yml, `site/` in the checkout, is the normal case);
- a `--cache` that is, contains or lies inside `--out`, or the other way round;
- an `--out` that exists, is not empty and holds no manifest.json of this generator, and a
  `--cache` that exists and holds files that are not entries of a build cache.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from generator.archive.manifest import MANIFEST, read_manifest
from generator.archive.publish import site_path
from generator.errors import ConfigError
from generator.resources import DOCS, PACKAGE, TEMPLATES, checkout

CACHE_ENTRY = re.compile(r"[0-9a-f]{64}\.")  # <kind>/<sha256 key>.pickle (and its .partial while written)
OUR_MANIFEST_KEYS = {"format", "snapshots", "inputs", "generator"}


@dataclass(frozen=True)
class Protected:
    """A folder the build reads or is made of, which a published path must keep clear of."""

    what: str  # "the data folder /x/data"
    path: Path
    inside_allowed: bool  # a site may be published inside it (the config's folder, the checkout)


def refuse_unsafe_paths(out: Path, cache: Path | None, data: Path, config_file: Path, default_cache: bool) -> None:
    """Raise ConfigError naming how `out` or `cache` would overwrite or delete what the build does
    not own (one message per path). It only reads, so --check refuses the same paths."""
    out = site_path(out)
    places = protected(data, config_file)
    problems = _overlaps("--out", out, places)
    option = "the default cache (beside --out)" if default_cache else "--cache"
    if cache is not None:
        cache = cache.resolve()
        problems += _overlaps(option, cache, [*places, Protected(f"published site (--out) {out}", out, False)])
    if not problems:  # the paths are apart: each may still hold what is not ours
        problems += filter(None, [_not_our_site(out), _not_a_cache(option, cache) if cache is not None else None])
    if problems:
        raise ConfigError(problems)


def protected(data: Path, config_file: Path) -> list[Protected]:
    root = checkout()
    places = [Protected(f"data folder {data}", data.resolve(), False),
              Protected(f"folder of the config file {config_file}", config_file.resolve().parent, True)]
    if root is not None:
        places.append(Protected(f"project checkout {root}", root, True))
    places += [Protected(f"generator's {name} folder {path}", path, False)
               for name, path in (("code", PACKAGE), ("templates", TEMPLATES), ("docs", DOCS))]
    return places


def _overlaps(option: str, path: Path, places: list[Protected]) -> list[str]:
    """The first way `path` overlaps one of `places`, most precious first."""
    return next(([problem] for place in places if (problem := _overlap(option, path, place))), [])


def _overlap(option: str, path: Path, place: Protected) -> str | None:
    flag = "--out" if option == "--out" else "--cache"
    example = f", for example {place.path / 'site'}" if place.inside_allowed and flag == "--out" else ""
    if path == place.path:
        return (f"{option} {path} is the {place.what}: the build would replace it. "
                f"Fix: point {flag} at a new folder of its own{example}.")
    if path in place.path.parents:
        return (f"{option} {path} contains the {place.what}: the build would delete it. "
                f"Fix: point {flag} at a new folder of its own, one that does not hold {place.path}{example}.")
    if place.path in path.parents and not place.inside_allowed:
        return (f"{option} {path} lies inside the {place.what}: the build would write and delete among its files. "
                f"Fix: point {flag} at a new folder of its own outside {place.path}.")
    return None


def _not_our_site(out: Path) -> str | None:
    """An existing, non-empty `out` must be a site this generator published: it is replaced whole."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):  # absent (or a link to a removed release)
        return None
    manifest = read_manifest(out / MANIFEST) if out.is_dir() else None
    if isinstance(manifest, dict) and OUR_MANIFEST_KEYS <= manifest.keys():
        return None
    what = "a folder that holds no manifest.json of this generator" if out.is_dir() else "not a folder"
    return (f"--out {out} already exists and is {what}: publishing would replace it and delete what it holds. "
            "Fix: point --out at a new or empty folder, or at a site this generator published; remove it "
            "yourself only if it is an old site you no longer need.")


def _not_a_cache(option: str, cache: Path) -> str | None:
    """A build removes every file of its cache it did not use: a folder of other files must not be one."""
    if not os.path.lexists(cache):
        return None
    if not cache.is_dir():
        return f"{option} {cache} is not a folder. Fix: point --cache at a new folder or at an earlier build's cache."
    for folder, _, names in os.walk(cache):
        depth = len(Path(folder).relative_to(cache).parts)
        for name in names:
            if depth != 1 or not CACHE_ENTRY.match(name):
                return (f"{option} {cache} holds files that are not entries of a build cache (for example "
                        f"{Path(folder) / name}); a build removes every file of its cache it does not use. "
                        "Fix: point --cache at a new or empty folder, or at the cache of an earlier build.")
    return None
