"""Reading site_config.yml: YAML with no key given twice, validated into a SiteConfig, every
problem reported at once with its dotted key and, for a mistyped key, the nearest allowed one."""
from __future__ import annotations

import difflib
import hashlib
import json
import re
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from generator.config.site import SiteConfig, _cross_reference_problems, config_warnings
from generator.errors import ConfigError


class LoadedConfig(BaseModel):
    """The validated config and where it came from (paths resolve against its folder)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)
    path: Path
    settings: SiteConfig
    sha256: str
    # values that are allowed but look unmeant, each naming its key; the build prints them and
    # --strict refuses them
    warnings: tuple[str, ...] = ()

    @property
    def data_dir(self) -> Path:
        return (self.path.parent / self.settings.data.directory).resolve()


def load_config(path: Path | str, data_dir_override: Path | str | None = None) -> LoadedConfig:
    """Read and validate the config; raise ConfigError listing every problem found."""
    path = Path(path)
    raw, lines = _read_yaml(path)
    try:
        settings = SiteConfig.model_validate(raw)
    except ValidationError as exc:
        field_errors = [e for e in exc.errors() if e["loc"]]
        messages = [_describe(path, error, lines) for error in field_errors]
        messages += [_located(path, problem, lines) for problem in _cross_reference_problems(raw)]
        # a check that failed on the validated values but found nothing in the raw YAML still says so
        messages = messages or [f"{path.name}: {error['msg'].removeprefix('Value error, ')}" for error in exc.errors()]
        raise ConfigError(messages) from None
    warnings = tuple(_located(path, warning, lines) for warning in config_warnings(settings))
    if data_dir_override is not None:
        directory = Path(data_dir_override).resolve()
        settings = settings.model_copy(
            update={"data": settings.data.model_copy(update={"directory": str(directory)})}
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return LoadedConfig(path=path.resolve(), settings=settings, sha256=digest, warnings=warnings)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping (plain YAML keeps the last)."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {key!r} appears twice in one mapping (first at line {seen[key]})",
                    key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def _read_yaml(path: Path) -> tuple[dict, yaml.Node | None]:
    """The mapping, and its node tree for the line of each key."""
    if not path.is_file():
        raise ConfigError([f"{path}: config file not found. Fix: pass --config PATH to an existing site_config.yml."])
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError([f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start}). "
                           "Fix: save it as UTF-8."]) from None
    try:
        raw = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader subclass: safe to load untrusted text
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError([f"{path}:{where}: YAML syntax error: {problem}"]) from None
    if not isinstance(raw, dict):
        raise ConfigError([f"{path}: expected a mapping of keys at the top level, got {type(raw).__name__}"])
    return raw, yaml.compose(text, Loader=yaml.SafeLoader)


KEY_PATH = re.compile(r"[A-Za-z_][\w-]*(?:\.[\w-]+|\[\d+\])*")


def _located(path: Path, problem: str, lines: yaml.Node | None) -> str:
    """A problem that starts with its key path, with the key's line in the file appended."""
    found = KEY_PATH.match(problem)
    line = _line_of(lines, found.group(0)) if found else None
    return f"{path.name}: {problem}" + (f" [line {line}]" if line else "")


def _line_of(root: yaml.Node | None, key_path: str) -> int | None:
    """The line of the deepest node of `key_path` (assessment.groups[1].items[0].weight) that the
    file has: a key that is missing points at the mapping it belongs in."""
    node = root
    if node is None:
        return None
    for part in re.findall(r"\[\d+\]|[^.\[\]]+", key_path):
        if isinstance(node, yaml.SequenceNode) and part.startswith("["):
            index = int(part[1:-1])
            if index >= len(node.value):
                break
            node = node.value[index]
        elif isinstance(node, yaml.MappingNode):
            value = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == part), None)
            if value is None:
                break
            node = value
        else:
            break
    return node.start_mark.line + 1


def _describe(path: Path, error: ErrorDetails, lines: yaml.Node | None) -> str:
    key = _dotted(error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key" + _suggestion(error["loc"])
    elif error["type"] == "missing":
        message = "required key is missing"
    elif error["type"] == "finite_number":
        message = ("not a number a rule can use (.nan, .inf, -.inf and the like are refused). "
                   "Fix: write a finite number, or null where the key allows none")
    elif error["type"] == "less_than_equal" and (error.get("ctx") or {}).get("le") == 1:
        message += "; a share is a fraction: 0.05 = 5%"
    shown = error.get("input")
    quiet = error["type"] in ("missing", "extra_forbidden") or isinstance(shown, (dict, list))
    got = "" if quiet else f" (got {shown!r})"
    line = _line_of(lines, key)
    return f"{path.name}: {key or '(top level)'}: {message}{got}" + (f" [line {line}]" if line and key else "")


def _suggestion(location: tuple) -> str:
    allowed = _allowed_keys(location[:-1])
    close = difflib.get_close_matches(str(location[-1]), allowed, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; allowed here: {', '.join(allowed)}" if allowed else ""


def _allowed_keys(location: tuple) -> list[str]:
    """The keys the schema allows at a location (indices into lists step into items)."""
    schema = SiteConfig.model_json_schema()
    node = schema
    for part in location:
        node = _resolve(schema, node)
        node = node.get("items", {}) if isinstance(part, int) else node.get("properties", {}).get(part, {})
    node = _resolve(schema, node)
    return sorted(node.get("properties", {}))


def _resolve(schema: dict, node: dict) -> dict:
    while True:
        if "$ref" in node:
            node = schema["$defs"][node["$ref"].rsplit("/", 1)[-1]]
        elif "anyOf" in node:
            node = next((n for n in node["anyOf"] if n.get("type") != "null"), {})
        else:
            return node


UNION_TAGS = {"unit_tree", "attribute", "volume_tiers", "composite"}


def _dotted(location: tuple) -> str:
    parts: list[str] = []
    previous = None
    for part in location:
        is_union_tag = isinstance(previous, int) and part in UNION_TAGS
        previous = part
        if is_union_tag or str(part).startswith("function-"):
            continue
        parts.append(f"[{part}]" if isinstance(part, int) else ("." if parts else "") + str(part))
    return "".join(parts)


def json_schema() -> str:
    """The config's JSON schema, for editors (yaml-language-server and the like)."""
    schema = SiteConfig.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "site_config.yml"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
