"""Trust: hostile input. Markup, script, template and Markdown syntax in every text field a
reader sees (names, units, roster attributes, config labels) is shown as written, in a real
Chromium, and never runs: no dialog, no element of the payload's making, no script but the
site's own, no raw payload in any written file outside an escaped context."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from tests.conftest import TINY, run_build

# The payloads. Each is wrapped in a field's own prefix so a test can tell which field it sees.
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = "\"><img src=x onerror=alert(2)>"
CLOSE_SCRIPT = "</script><script>alert(3)</script>"
SEPARATORS = "甲\u2028乙\u2029丙"  # LINE SEPARATOR and PARAGRAPH SEPARATOR inside a name
MARKDOWN = "**bold** [x](javascript:alert(4))"
JINJA = "{{ 7*7 }} {% raw %}"
QUOTES = "O'Brien \"Q\", & Co"
# Full-width brackets: the loader folds extract text to NFKC on purpose (full-width digits and
# punctuation are common in Chinese exports), so this one is shown as <script>…, escaped like the rest.
FULL_WIDTH = "＜script＞alert(9)＜/script＞"
PAYLOADS = (SCRIPT, ATTRIBUTE, CLOSE_SCRIPT, SEPARATORS, MARKDOWN, JINJA, QUOTES, FULL_WIDTH)

# What must never appear raw in a written page or script: each would open an element.
# (`javascript:` is harmless as text: the parser below checks that no link or source uses it.)
RAW_MARKUP = ("<script>", "<img", "<iframe")  # the site writes <script src=...> only

# IDs are text too, shown on every page that names their manager or unit: one of each is hostile
# (a hostile ID's page gets a hashed file name, generator.paths.safe_name).
NEW_MANAGER = "000106<script>alert(7)</script>"  # joins in October, at the new outlet
NEW_UNIT = "01010103\"><img src=x onerror=alert(6)>"
OCTOBER = ("000101", "000102", "000103", "000105", NEW_MANAGER)  # the managers assessed in October

MANAGERS = {  # manager_id -> name, one payload each
    "000101": "张伟" + SCRIPT,
    "000102": "王芳" + ATTRIBUTE,
    "000103": "李娜" + CLOSE_SCRIPT,
    "000104": "刘洋" + MARKDOWN,  # left in September: on the September pages only
    "000105": "陈静" + SEPARATORS + " " + JINJA + " " + QUOTES,
    NEW_MANAGER: "赵敏" + MARKDOWN,
}
UNITS = {  # unit_id -> name
    "0100": "测试省分行" + SCRIPT,
    "0101": "江城市分行" + ATTRIBUTE,
    "010101": "江城东湖支行" + CLOSE_SCRIPT,
    "01010101": "东湖人民路网点" + SEPARATORS + MARKDOWN,
    "01010102": "东湖解放路网点" + JINJA + QUOTES,
    NEW_UNIT: "东湖滨江网点" + QUOTES,
}
LEVELS = {"省分行": "省分行" + QUOTES, "市分行": "市分行" + JINJA, "支行": "支行" + SCRIPT, "网点": "网点" + ATTRIBUTE}
SEGMENTS = {"公司": "公司" + SCRIPT, "个人": "个人" + ATTRIBUTE, "机构": "机构" + SEPARATORS + QUOTES,
            "小微": "小微" + JINJA}
# Runs of spaces and a tab inside a value: HTML shows them as one space, and an <option> without a
# value attribute reports its text collapsed so, while the row keeps the value as written.
SPACED = "普惠  小微\t部"
SPACED_SHOWN = "普惠 小微 部"


def collapsed(text: str) -> str:
    """Text with runs of ASCII whitespace made one space, as HTML lays it out (U+2028 is no such space)."""
    return re.sub(r"[\t\n\f\r ]+", " ", text).strip()
PRODUCT_LINES = {"000101": "公司条线" + CLOSE_SCRIPT, "000102": "零售条线" + MARKDOWN,
                 "000103": "零售条线" + MARKDOWN, "000104": "普惠条线" + QUOTES, "000105": "公司条线" + CLOSE_SCRIPT,
                 NEW_MANAGER: "普惠条线" + QUOTES}
TITLES_WRITTEN = {"000101": "经济师" + ATTRIBUTE, "000102": "会计师" + JINJA, "000103": "会计师" + JINJA,
                  "000104": "无" + SCRIPT, "000105": "高级经济师" + SEPARATORS, NEW_MANAGER: "无" + FULL_WIDTH}
TITLES = {manager_id: unicodedata.normalize("NFKC", title) for manager_id, title in TITLES_WRITTEN.items()}
assert TITLES[NEW_MANAGER] == "无<script>alert(9)</script>"
EDUCATION = {"000101": "硕士" + QUOTES, "000102": "本科" + SCRIPT, "000103": "本科" + SCRIPT,
             "000104": "大专" + ATTRIBUTE, "000105": "博士" + MARKDOWN, NEW_MANAGER: "大专" + ATTRIBUTE}
# the roster's own 职级 (downloads only: the site shows the assessed grade)
ROSTER_GRADES = {"高级客户经理": "高级" + JINJA, "客户经理": "客户经理" + QUOTES, "客户经理助理": "助理" + SCRIPT,
                 "资深客户经理": "资深" + ATTRIBUTE}
NEW_STATUS = "在岗" + ATTRIBUTE  # no known status word: a warning that shows the value as written
STRANGER = "000199</script><script>alert(8)</script>"  # in no roster: the row is rejected and shown as such
VIOLATION_TYPE = "违规放贷" + SCRIPT
VIOLATION_TEXT = "造成资产损失" + ATTRIBUTE + JINJA


def label(zh: str, en: str, payload: str) -> dict:
    return {"zh": zh + payload, "en": en + payload}


# Labels in site_config.yml, zh and en.
BANK = label("测试分行", "Test Branch", SCRIPT + ATTRIBUTE)
TITLE = label("测试报告", "Test Report", CLOSE_SCRIPT + " " + JINJA)
CATEGORY = label("负债业务", "Liabilities", QUOTES + MARKDOWN)
DEPOSITS = label("日均存款余额", "Average deposits", ATTRIBUTE)
LOANS = label("新增贷款", "New loans", SCRIPT)
ACCOUNTS = label("新开账户数", "New accounts", SEPARATORS)
NPL = label("不良贷款率", "NPL ratio", JINJA)
ACCOUNT_UNIT = "户" + CLOSE_SCRIPT
DEPT_EVAL = label("所在部门评价", "Department evaluation", QUOTES)
REGION = label("按区域", "By region", CLOSE_SCRIPT)
SEGMENT_MODEL = label("按客户类别", "By customer segment", ATTRIBUTE)
VOLUME_MODEL = label("按业务量", "By business volume", MARKDOWN)
BIG_TIER = label("大客户经理", "Big-customer managers", SCRIPT)
SMALL_TIER = label("一般客户经理", "General managers", SEPARATORS)
COMPOSITE = label("区域×客户类别", "Region × segment", JINJA)
PRODUCT_MODEL = label("按产品条线", "By product line", QUOTES)
TITLE_MODEL = label("按职称", "By title", SCRIPT)
EDUCATION_MODEL = label("按学历", "By education", ATTRIBUTE)
WORK_GROUP = label("工作实际考评", "Work performance", CLOSE_SCRIPT)
DEPT_GROUP = label("部门评价", "Department", MARKDOWN)
GRADE_SYSTEM = label("四级制", "Four levels", QUOTES)
GRADES = [("senior", label("资深客户经理", "Senior", SCRIPT), 85),
          ("high", label("高级客户经理", "High", ATTRIBUTE), 70),
          ("manager", label("客户经理", "Manager", JINJA), 50),
          ("assistant", label("客户经理助理", "Assistant", SEPARATORS), 20)]
BELOW = label("待淘汰", "Removal", CLOSE_SCRIPT)
AWARDS = [label("前两名", "Top two", MARKDOWN), label("营销之星", "Marketing star", SCRIPT),
          label("进步之星", "Most improved", QUOTES)]


def _rewrite_csv(path: Path, change, *extra: list[str], header: list[str] | None = None) -> None:
    """Rewrite an extract through the csv module, so every hostile cell is quoted as it must be."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    rows = [header or rows[0]] + [change(row) for row in rows[1:]] + list(extra)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def _hostile_data(root: Path) -> None:
    _rewrite_csv(root / "units.csv", lambda row: [row[0], UNITS[row[0]], row[2], LEVELS[row[3]]],
                 [NEW_UNIT, UNITS[NEW_UNIT], "010101", LEVELS["网点"]])

    def manager(row):
        manager_id = row[0]
        row[1], row[6], row[7] = MANAGERS[manager_id], SEGMENTS[row[6]], ROSTER_GRADES[row[7]]
        return row + [PRODUCT_LINES[manager_id], TITLES_WRITTEN[manager_id], EDUCATION[manager_id]]
    header = "客户经理编号,姓名,性别,身份证号,入职日期,离职日期,客户类别,职级,状态,产品条线,职称,学历".split(",")
    new_manager = manager([NEW_MANAGER, "", "女", "110101199606066789", "2020-06-01", "", "公司", "客户经理",
                           NEW_STATUS])
    new_manager[6] = SPACED
    _rewrite_csv(root / "managers.csv", manager, new_manager, header=header)

    _rewrite_csv(root / "periods/2026-09/violations.csv",
                 lambda row: row[:2] + [VIOLATION_TYPE] + row[3:5] + [VIOLATION_TEXT])
    october = root / "periods/2026-10"
    for period in ("2026-09", "2026-10"):  # the name column is not read, but keep it consistent
        _rewrite_csv(root / f"periods/{period}/performance.csv", lambda row: [row[0], MANAGERS[row[0]], *row[2:]])
    _rewrite_csv(october / "performance.csv", lambda row: row,
                 [NEW_MANAGER, MANAGERS[NEW_MANAGER], NEW_UNIT, "5000.00", "100.00", "7", "0.50"],
                 [STRANGER, "某人" + SCRIPT, "010101", "1.00", "1.00", "1", "0.00"])
    _rewrite_csv(october / "targets.csv", lambda row: row, [NEW_MANAGER, "4000.00", "80.00", "5", "1.00"])
    _rewrite_csv(october / "evaluations.csv", lambda row: row, [NEW_MANAGER, "80.0", "82"])


class _QuotingDumper(yaml.SafeDumper):
    """Every string double-quoted, as a careful editor would write hostile labels
    (U+2028 and U+2029 come out as the escapes \\L and \\P)."""


_QuotingDumper.add_representer(
    str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"'))


def _hostile_config(path: Path, language: str) -> None:
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["bank"]["name"] = BANK
    config["site"]["title"] = TITLE
    config["site"]["language"] = language
    config["categories"]["liabilities"] = CATEGORY
    indicators = {i["id"]: i for i in config["indicators"]}
    indicators["deposit_avg"]["label"] = DEPOSITS
    indicators["new_loans"]["label"] = LOANS
    indicators["new_accounts"]["label"] = ACCOUNTS
    indicators["new_accounts"]["unit"] = ACCOUNT_UNIT
    indicators["npl_ratio"]["label"] = NPL
    config["qualitative"][0]["label"] = DEPT_EVAL
    columns = config["reference"]["managers"]["columns"]
    columns.update(product_line=["产品条线"], title=["职称"], education=["学历"])
    models = {m["id"]: m for m in config["org_models"]}
    models["region"]["label"] = REGION
    models["segment"]["label"] = SEGMENT_MODEL
    models["segment"]["order"] = [SEGMENTS[s] for s in models["segment"]["order"]]
    models["volume"]["label"] = VOLUME_MODEL
    models["volume"]["tiers"][0]["label"] = BIG_TIER
    models["volume"]["tiers"][1]["label"] = SMALL_TIER
    models["region_segment"]["label"] = COMPOSITE
    config["org_models"] += [
        {"type": "attribute", "id": "product", "label": PRODUCT_MODEL, "attribute": "product_line"},
        {"type": "attribute", "id": "title", "label": TITLE_MODEL, "attribute": "title"},
        {"type": "attribute", "id": "education", "label": EDUCATION_MODEL, "attribute": "education"},
    ]
    assessment = config["assessment"]
    assessment["groups"][0]["label"] = WORK_GROUP
    assessment["groups"][1]["label"] = DEPT_GROUP
    assessment["grades"] = {"system": "hostile", "systems": {"hostile": {
        "label": GRADE_SYSTEM, "below_lowest": BELOW,
        "levels": [{"id": grade_id, "name": name, "min": minimum} for grade_id, name, minimum in GRADES]}}}
    assessment["rankings"] = {"attributes": ["segment", "product_line", "title", "education"]}
    for award, text in zip(assessment["awards"], AWARDS):
        award["label"] = text
    text = yaml.dump(config, Dumper=_QuotingDumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    assert yaml.safe_load(path.read_text(encoding="utf-8")) == config  # still valid YAML, every string intact


@dataclass
class HostileSite:
    bank: Path
    site: Path


def _build(tmp_path_factory, language: str) -> HostileSite:
    root = tmp_path_factory.mktemp(f"hostile-{language}")
    shutil.copytree(TINY, root / "bank")
    _hostile_data(root / "bank")
    _hostile_config(root / "bank/site_config.yml", language)
    cells = [cell for path in sorted((root / "bank").rglob("*.csv"))
             for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")) for cell in row]
    assert [p for p in PAYLOADS if not any(p in cell for cell in cells)] == []  # all reach the loader as written
    result = run_build("--config", str(root / "bank/site_config.yml"), "--out", str(root / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    return HostileSite(root / "bank", root / "site")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> HostileSite:
    return _build(tmp_path_factory, "zh-CN")


@pytest.fixture(scope="module")
def english(tmp_path_factory) -> HostileSite:
    return _build(tmp_path_factory, "en")


# --- the written files ------------------------------------------------------------------------

SITE_SCRIPT = re.compile(r"(\./)?(\.\./)*assets/(vendor/)?[a-z-]+(\.min)?\.js|search-index\.js")
JSON_ISLANDS = {"trend-data", "history-data"}
# Elements a payload could bring in to load or run something; the site itself writes none of them
# (its build-time charts are inline <svg> of paths and text, checked like the rest of the page).
FOREIGN_TAGS = {"img", "image", "foreignobject", "math", "iframe", "frame", "object", "embed", "base", "video",
                "audio"}


class _Markup(HTMLParser):
    """The elements and attributes a page really has, and the text of its JSON islands."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.islands: list[list[str]] = []  # [id, text] of each JSON island
        self._island: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FOREIGN_TAGS:
            self.problems.append(f"<{tag}> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            if attributes.get("type") == "application/json" and attributes.get("id") in JSON_ISLANDS:
                self._island = attributes["id"]
                self.islands.append([self._island, ""])
            elif not SITE_SCRIPT.fullmatch(attributes.get("src") or ""):
                self.problems.append(f"foreign script {attributes}")

    def handle_data(self, data):
        if self._island:
            self.islands[-1][1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._island = None


def _written(site: Path, *suffixes: str) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in suffixes)


def _page_problems(page: Path) -> list[str]:
    raw = page.read_text(encoding="utf-8")
    problems = [f"raw {marker!r}" for marker in RAW_MARKUP if marker in raw]
    parser = _Markup()
    parser.feed(raw)
    parser.close()
    problems += parser.problems
    for island, text in parser.islands:
        if "<" in text:
            problems.append(f"unescaped < in JSON island #{island}")
        json.loads(text)
    return problems


def _manager(period: str, manager_id: str) -> str:
    from generator.pages.paths import manager_page
    return manager_page(period, manager_id)


def _unit(period: str, unit_id: str) -> str:
    from generator.pages.paths import unit_page
    return unit_page(period, unit_id)


def _search_index(period: Path) -> list[dict]:
    script = (period / "search-index.js").read_text(encoding="utf-8")
    prefix = "window.SEARCH_INDEX = "
    assert script.startswith(prefix) and script.endswith(";\n")
    return json.loads(script[len(prefix):-2])


def test_loader_keeps_every_hostile_row(hostile):
    """Nothing hostile is rejected or altered on the way in (the loader refuses no character of
    these payloads): every row is published, under its name, its ID and its level as written.
    The one row rejected is the manager missing from the roster, for that reason alone."""
    quarantined = {path.name: list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))[1:]
                   for path in (hostile.site / "quality").glob("*.quarantine.csv")}
    assert {name: len(rows) for name, rows in quarantined.items()} == {
        "reference.quarantine.csv": 0, "2026-09.quarantine.csv": 0, "2026-10.quarantine.csv": 1}
    assert "unknown_manager" in quarantined["2026-10.quarantine.csv"][0][2]
    assert STRANGER in quarantined["2026-10.quarantine.csv"][0][-1]
    index = _search_index(hostile.site / "2026-10")
    names = {entry["i"]: entry["n"] for entry in index}
    assert {m: names[m] for m in OCTOBER} == {m: MANAGERS[m] for m in OCTOBER}
    assert {u: names[u] for u in UNITS} == UNITS
    assert {entry["u"] for entry in index if entry["k"] == "u"} == set(LEVELS.values())
    assert (hostile.site / _manager("2026-10", NEW_MANAGER)).is_file()
    assert (hostile.site / _unit("2026-10", NEW_UNIT)).is_file()


@pytest.mark.parametrize("site_fixture", ["hostile", "english"])
def test_no_written_page_holds_raw_payload_markup(site_fixture, request):
    site = request.getfixturevalue(site_fixture).site
    pages = _written(site, ".html")
    assert len(pages) > 100
    problems = {page.relative_to(site).as_posix(): found for page in pages if (found := _page_problems(page))}
    assert problems == {}


def test_the_page_scan_would_catch_raw_markup(tmp_path):
    """Guards the test above: each payload written unescaped is found."""
    for payload in (SCRIPT, ATTRIBUTE, CLOSE_SCRIPT, NEW_UNIT):
        page = tmp_path / "raw.html"
        page.write_text(f'<p title="{payload}">{payload}</p>', encoding="utf-8")
        assert _page_problems(page), payload
    page.write_text('<a href="javascript:alert(4)">x</a><script type="application/json" id="trend-data">'
                    '["</b>"]</script>', encoding="utf-8")
    assert len(_page_problems(page)) == 2


@pytest.mark.parametrize("site_fixture", ["hostile", "english"])
def test_generated_scripts_and_json_escape_markup(site_fixture, request):
    site = request.getfixturevalue(site_fixture).site
    generated = [p for p in _written(site, ".js", ".json") if "assets" not in p.relative_to(site).parts]
    generated.append(site / "assets/charts-specs.js")
    assert len(generated) >= 3
    for path in generated:
        text = path.read_text(encoding="utf-8")
        assert "<" not in text, f"{path.relative_to(site)}: a raw < would close an inline <script>"
    for period in ("2026-09", "2026-10"):
        names = {entry["n"] for entry in _search_index(site / period)}
        assert set(UNITS.values()) <= names  # escaped, yet exactly the names as written


# --- in Chromium --------------------------------------------------------------------------

PAGE_CHECK = r"""() => ({
  images: document.querySelectorAll("img, image, iframe, object, embed, frame").length,
  handlers: [...document.querySelectorAll("*")].flatMap(e => [...e.attributes]
      .filter(a => a.name.startsWith("on")).map(a => e.tagName + " " + a.name)),
  jsLinks: [...document.querySelectorAll("[href], [src], [action]")]
      .map(e => e.getAttribute("href") || e.getAttribute("src") || e.getAttribute("action"))
      .filter(v => /^\s*javascript:/i.test(v)),
  scripts: [...document.scripts].map(s => s.getAttribute("src") || ("inline " + s.type + " #" + s.id)),
  heading: document.querySelector("h1") ? document.querySelector("h1").innerText : "",
})"""
OWN_INLINE = {f"inline application/json #{island}" for island in JSON_ISLANDS}


def assert_safe(opened, where: str = "", settle: bool = True) -> dict:
    """Nothing ran, nothing failed, nothing was fetched, no element is of the payload's making.
    An alert during the load holds the load event until the dialog handler dismisses it, so
    only what a page does later (after typing, a timer) needs the moment `settle` gives it."""
    page = opened.page
    if settle:
        page.wait_for_timeout(50)
    assert opened.dialogs == [], where
    assert opened.errors == [], where
    assert opened.external == [], where
    found = page.evaluate(PAGE_CHECK)
    assert found["images"] == 0, where
    assert found["handlers"] == [] and found["jsLinks"] == [], where
    foreign = [s for s in found["scripts"] if not SITE_SCRIPT.fullmatch(s) and s not in OWN_INLINE]
    assert foreign == [], where
    return found


def assert_shown(page, *texts: str) -> None:
    """Each text is in the visible text of the page exactly as written (not 49, not bold, not a link)."""
    body = page.inner_text("body")
    missing = [text for text in texts if text not in body]
    assert missing == []


def test_a_dialog_would_be_caught(tmp_path, open_page):
    """Guards every test below: a payload that runs, at load or later, is caught by assert_safe."""
    page = tmp_path / "raw.html"
    page.write_text(f"<!DOCTYPE html><title>x</title><p>{ATTRIBUTE}{SCRIPT}</p>", encoding="utf-8")
    opened = open_page(page)
    assert opened.dialogs == ["alert: 1", "alert: 2"]  # the script as parsed, then the image's error
    with pytest.raises(AssertionError):
        assert_safe(opened, settle=False)
    opened.dialogs.clear()
    opened.page.evaluate("setTimeout(() => alert('later'), 0)")
    with pytest.raises(AssertionError):
        assert_safe(opened)
    assert opened.dialogs == ["alert: later"]


def test_every_page_opens_without_running_anything(hostile, open_page):
    """Every page of the site in Chromium; and every group's name is some page's heading, as written."""
    # latest.html forwards at once to the newest overview (checked here anyway, as that page)
    pages = [p for p in _written(hostile.site, ".html") if p.name != "latest.html" or p.parent != hostile.site]
    opened = open_page(pages[0])
    headings = set()
    for page in pages:
        if page != pages[0]:
            opened.page.goto(page.as_uri(), wait_until="load")
        headings.add(assert_safe(opened, page.relative_to(hostile.site).as_posix(), settle=False)["heading"])
    expected = {SEGMENTS["公司"], SEGMENTS["个人"], SEGMENTS["机构"], SPACED_SHOWN, BIG_TIER["zh"], SMALL_TIER["zh"],
              *(PRODUCT_LINES[m] for m in OCTOBER), *(TITLES[m] for m in OCTOBER), *(EDUCATION[m] for m in OCTOBER),
              f"{UNITS['010101']} · {SEGMENTS['机构']}", *UNITS.values(), *(f"{MANAGERS[m]} {m}" for m in MANAGERS)}
    assert expected - headings == set()


def test_hostile_site_is_valid_html(hostile):
    """Hostile text breaks no element or attribute: the Nu HTML Checker passes every page."""
    from tests.test_html_valid import validate
    checked = validate(hostile.site)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_quality_and_guide_pages_show_hostile_values_as_written(hostile, open_page):
    opened = open_page(hostile.site / "guide/index.html")  # the narrative pages, in the site's shell
    assert_safe(opened)
    assert opened.page.locator(".site-header .brand").inner_text() == f"{BANK['zh']} · {TITLE['zh']}"
    opened.page.goto((hostile.site / "quality/reference.html").as_uri())
    assert_safe(opened)
    assert_shown(opened.page, NEW_STATUS)
    opened.page.goto((hostile.site / "quality/2026-10.html").as_uri())
    assert_safe(opened)
    assert_shown(opened.page, STRANGER)


def test_home_page_shows_hostile_labels_and_names(hostile, open_page):
    opened = open_page(hostile.site / "index.html")
    page = opened.page
    page.wait_for_selector(".chart.drawn", state="attached", timeout=10_000)  # drawn by Vega
    assert_safe(opened)
    assert page.title() == f"{TITLE['zh']} · {BANK['zh']}"
    assert page.locator(".site-header .brand").inner_text() == f"{BANK['zh']} · {TITLE['zh']}"
    assert_shown(page, DEPOSITS["zh"], REGION["zh"], SEGMENT_MODEL["zh"], VOLUME_MODEL["zh"], COMPOSITE["zh"],
                 PRODUCT_MODEL["zh"], TITLE_MODEL["zh"], EDUCATION_MODEL["zh"], *(MANAGERS[m] for m in OCTOBER),
                 *(UNITS[u] for u in ("0101", "010101", "01010101", "01010102", NEW_UNIT)),
                 *(name["zh"] for _, name, _ in GRADES), BELOW["zh"])


MANAGER_PAGES = [("2026-10", m) for m in OCTOBER] + [("2026-09", "000104")]


@pytest.mark.parametrize("period, manager_id", MANAGER_PAGES, ids=[f"{p}-{m[:6]}" for p, m in MANAGER_PAGES])
def test_manager_page_shows_the_name_as_written(hostile, open_page, period, manager_id):
    opened = open_page(hostile.site / _manager(period, manager_id))
    page = opened.page
    page.wait_for_selector(".chart.drawn", state="attached", timeout=10_000)
    assert_safe(opened)
    assert page.locator("h1").inner_text() == f"{MANAGERS[manager_id]} {manager_id}"
    assert page.title() == f"{MANAGERS[manager_id]} {manager_id} · {BANK['zh']}"
    assert_shown(page, DEPOSITS["zh"], LOANS["zh"], ACCOUNTS["zh"], NPL["zh"], DEPT_EVAL["zh"], WORK_GROUP["zh"],
                 DEPT_GROUP["zh"], LEVELS["市分行"], LEVELS["支行"])
    if manager_id == "000104":  # disqualified in September by a violation with a hostile type and text
        assert_shown(page, VIOLATION_TYPE, VIOLATION_TEXT)


def test_manager_page_links_through_hostile_names(hostile, open_page):
    opened = open_page(hostile.site / "2026-10/managers/000105.html")
    page = opened.page
    assert_safe(opened)
    assert page.locator(".breadcrumb a").inner_text() == UNITS["010101"]
    page.locator(".breadcrumb a").click()
    page.wait_for_url("**/2026-10/units/010101.html")
    assert page.locator("h1").inner_text() == UNITS["010101"]
    members = page.locator("table.members tbody td:nth-child(1) a").all_inner_texts()
    assert sorted(members) == sorted([MANAGERS["000101"], MANAGERS["000105"]])
    page.get_by_role("link", name=MANAGERS["000101"], exact=True).click()
    page.wait_for_url("**/2026-10/managers/000101.html")
    assert_safe(opened)


ALL_GRADES = [name["zh"] for _, name, _ in GRADES]


@pytest.mark.parametrize("model, chart, ranking", [
    ("region", [REGION["zh"], *UNITS.values(), DEPOSITS["zh"], *ALL_GRADES],
     [*(name for unit_id, name in UNITS.items() if unit_id != "0100"), LEVELS["市分行"], LEVELS["支行"],
      LEVELS["网点"]]),
    ("segment", [SEGMENT_MODEL["zh"], SEGMENTS["公司"], SEGMENTS["个人"], SEGMENTS["机构"], SPACED_SHOWN],
     [SEGMENTS["公司"], SEGMENTS["个人"], SEGMENTS["机构"], SPACED_SHOWN, SEGMENT_MODEL["zh"]]),
    ("volume", [VOLUME_MODEL["zh"], BIG_TIER["zh"], SMALL_TIER["zh"]], [BIG_TIER["zh"], SMALL_TIER["zh"]]),
    ("region_segment", [COMPOSITE["zh"], f"{UNITS['010101']} · {SEGMENTS['公司']}",
                        f"{UNITS['010101']} · {SEGMENTS['个人']}", f"{UNITS['010101']} · {SEGMENTS['机构']}"],
     [f"{UNITS['010101']} · {SEGMENTS['公司']}", UNITS["0101"]]),
    ("product", [PRODUCT_MODEL["zh"], *set(PRODUCT_LINES.values())], [PRODUCT_LINES["000101"]]),
    ("title", [TITLE_MODEL["zh"], *(TITLES[m] for m in OCTOBER)], [TITLES["000101"], TITLES["000105"]]),
    ("education", [EDUCATION_MODEL["zh"], *(EDUCATION[m] for m in OCTOBER)], [EDUCATION["000105"]]),
])
def test_org_chart_and_its_ranking_show_hostile_labels(hostile, open_page, model, chart, ranking):
    opened = open_page(hostile.site / f"2026-10/org/{model}.html")
    page = opened.page
    assert_safe(opened)
    page.get_by_role("button", name="全部展开").click()
    assert_shown(page, *chart)
    names = page.eval_on_selector_all(".org-chart .node", "ns => ns.map(n => n.getAttribute('data-name'))")
    links = page.locator(".org-chart .node > a").all_inner_texts()
    assert [collapsed(name) for name in names] == links  # the find box reads what is shown
    page.goto((hostile.site / f"2026-10/org/{model}-ranking.html").as_uri())
    assert_safe(opened)
    assert_shown(page, *ranking)


def test_org_chart_find_box_with_hostile_text(hostile, open_page):
    opened = open_page(hostile.site / "2026-10/org/region.html")
    page = opened.page
    for text, units in ((SEPARATORS, ["01010101"]), (CLOSE_SCRIPT, ["010101"]), (JINJA, ["01010102"]),
                        (ATTRIBUTE, ["0101"]), (SCRIPT, ["0100"]), (QUOTES, ["01010102", NEW_UNIT])):
        page.locator(".toolbar input[type=search]").fill(text)
        assert page.locator(".node.hit > a").all_inner_texts() == [UNITS[u] for u in units], text
        for unit_id in units:
            assert page.get_by_role("link", name=UNITS[unit_id], exact=True).is_visible()
    assert_safe(opened)


def test_org_ranking_headings_are_the_hostile_level_names(hostile, open_page):
    opened = open_page(hostile.site / "2026-10/org/region-ranking.html")
    assert_safe(opened)
    assert opened.page.locator("h2").all_inner_texts() == [LEVELS["市分行"], LEVELS["支行"], LEVELS["网点"]]


ANCESTORS = {"0100": [], "0101": ["0100"], "010101": ["0100", "0101"]}
MEMBERS = {"010101": ["000101", "000105"], "01010101": ["000103"], "01010102": ["000102"], NEW_UNIT: [NEW_MANAGER]}


@pytest.mark.parametrize("unit_id", list(UNITS), ids=lambda value: value[:8])
def test_unit_page_shows_hostile_names(hostile, open_page, unit_id):
    opened = open_page(hostile.site / _unit("2026-10", unit_id))
    page = opened.page
    assert_safe(opened)
    assert page.locator("h1").inner_text() == UNITS[unit_id]
    assert page.title() == f"{UNITS[unit_id]} · {BANK['zh']}"
    assert_shown(page, DEPOSITS["zh"], LOANS["zh"], ACCOUNTS["zh"], NPL["zh"],
                 *(f"{MANAGERS[m]}\t{m}" for m in MEMBERS.get(unit_id, [])))  # a row of the member table
    trail = page.locator(".breadcrumb a").all_inner_texts()
    assert trail == [REGION["zh"]] + [UNITS[a] for a in ANCESTORS.get(unit_id, ["0100", "0101", "010101"])]


def test_rankings_search_and_filter_with_hostile_text(hostile, open_page):
    """tables.js hides and re-orders rows as the reader types, picks a filter and sorts."""
    opened = open_page(hostile.site / "2026-10/rankings.html")
    page = opened.page
    box = page.locator("#ranking-controls input[type=search]")

    def shown():
        return sorted(page.locator("table.ranking tbody tr:not([hidden]) td:nth-child(2)").all_inner_texts())

    def names(*ids):
        return sorted(MANAGERS[m] for m in ids)

    assert shown() == names(*OCTOBER)
    assert_shown(page, WORK_GROUP["zh"], DEPT_GROUP["zh"], NEW_MANAGER,
                 *(UNITS[u] for u in ("010101", "01010101", "01010102", NEW_UNIT)))
    for typed, expected in ((SCRIPT, ["000101"]), (ATTRIBUTE, ["000102"]),
                            (CLOSE_SCRIPT, ["000101", "000103", "000105"]), (JINJA, ["000102", "000105"]),
                            (SEPARATORS, ["000103", "000105"]), ("o'brien \"q\", &", ["000102", "000105", NEW_MANAGER]),
                            (MARKDOWN, ["000103", NEW_MANAGER]), ("<script>alert(7)", [NEW_MANAGER])):
        box.fill(typed)
        assert shown() == names(*expected), typed
        assert page.locator("[data-role=count]").inner_text() == str(len(expected))
    box.fill("")
    segment = page.locator("select[data-filter=segment]")
    options = {collapsed(option) for option in segment.locator("option").all_inner_texts()}
    assert options == {"全部", SEGMENTS["公司"], SEGMENTS["个人"], SEGMENTS["机构"], SPACED_SHOWN}
    for value, expected in ((SEGMENTS["公司"], ["000101"]), (SEGMENTS["个人"], ["000102", "000103"]),
                            (SEGMENTS["机构"], ["000105"]), (SPACED_SHOWN, [NEW_MANAGER])):
        segment.select_option(label=value)
        assert shown() == names(*expected), value
        assert page.locator("[data-role=count]").inner_text() == str(len(expected))
    segment.select_option("")
    grades = set(page.locator("select[data-filter=grade] option").all_inner_texts()) - {"全部"}
    assert grades and grades <= set(ALL_GRADES) | {BELOW["zh"]}
    name_header = page.locator("table.ranking thead button").nth(1)
    name_header.click()  # sort by name: every row moves in the DOM
    name_header.click()
    assert shown() == names(*OCTOBER)
    assert_safe(opened)


def test_search_page_renders_hostile_names_as_text(hostile, open_page):
    """search.js builds the result list from the index as the reader types."""
    opened = open_page(hostile.site / "2026-10/search.html")
    page = opened.page
    box = page.locator("#search-input")

    def results():
        return sorted(page.locator("#search-results a").all_inner_texts())

    box.fill("<script>alert")  # 赵敏 by her ID
    assert results() == sorted([MANAGERS["000101"], MANAGERS["000103"], MANAGERS[NEW_MANAGER], UNITS["0100"],
                                UNITS["010101"]])
    assert_shown(page, f"{NEW_MANAGER} · 客户经理 · {UNITS[NEW_UNIT]}")
    box.fill(ATTRIBUTE)
    assert results() == sorted([MANAGERS["000102"], UNITS["0101"]])
    box.fill("onerror=alert(6)")  # the new outlet by its ID
    assert results() == [UNITS[NEW_UNIT]]
    box.fill(SEPARATORS)
    assert results() == sorted([MANAGERS["000105"], UNITS["01010101"]])
    box.fill("{{ 7*7 }}")
    assert results() == sorted([MANAGERS["000105"], UNITS["01010102"]])
    box.fill(MARKDOWN)
    assert results() == sorted([MANAGERS[NEW_MANAGER], UNITS["01010101"]])  # 刘洋 left in September
    assert page.locator("#search-results").inner_text().count("**bold**") == 2
    assert_shown(page, LEVELS["网点"])
    assert_safe(opened)
    page.get_by_role("link", name=UNITS["01010101"], exact=True).click()
    page.wait_for_url("**/2026-10/units/01010101.html")
    assert page.locator("h1").inner_text() == UNITS["01010101"]
    assert_safe(opened)


def test_search_query_in_the_address_is_shown_not_run(hostile, open_page):
    """The header search box sends its text as ?q=: a hostile query is only ever text."""
    opened = open_page(hostile.site / "2026-10/org/region.html")
    page = opened.page
    box = page.get_by_role("searchbox", name="搜索")
    box.fill(CLOSE_SCRIPT)
    box.press("Enter")
    page.wait_for_url("**/2026-10/search.html?q=*")
    assert page.locator("#search-input").input_value() == CLOSE_SCRIPT
    assert results_of(page) == sorted([MANAGERS["000103"], UNITS["010101"]])
    assert_safe(opened)


def results_of(page) -> list[str]:
    return sorted(page.locator("#search-results a").all_inner_texts())


def test_methodology_page_shows_hostile_config_labels(hostile, open_page):
    opened = open_page(hostile.site / "methodology.html")
    page = opened.page
    assert_safe(opened)
    assert_shown(page, BANK["zh"], TITLE["zh"], CATEGORY["zh"], DEPOSITS["zh"], LOANS["zh"], ACCOUNTS["zh"], NPL["zh"],
                 ACCOUNT_UNIT, DEPT_EVAL["zh"], WORK_GROUP["zh"], DEPT_GROUP["zh"], GRADE_SYSTEM["zh"], BELOW["zh"],
                 *ALL_GRADES, *(award["zh"] for award in AWARDS), f"{LOANS['zh']}, {ACCOUNTS['zh']}")


def test_english_site_shows_the_english_labels(english, open_page):
    for path, texts in (("methodology.html", [BANK["en"], TITLE["en"], CATEGORY["en"], DEPOSITS["en"], LOANS["en"],
                                              ACCOUNTS["en"], NPL["en"], DEPT_EVAL["en"], WORK_GROUP["en"],
                                              GRADE_SYSTEM["en"], BELOW["en"], *(a["en"] for a in AWARDS)]),
                        ("index.html", [BANK["en"], REGION["en"], SEGMENT_MODEL["en"], MANAGERS["000105"]]),
                        ("2026-10/managers/000105.html", [MANAGERS["000105"], DEPOSITS["en"], DEPT_GROUP["en"]]),
                        ("2026-10/org/volume.html", [VOLUME_MODEL["en"], BIG_TIER["en"], SMALL_TIER["en"]])):
        opened = open_page(english.site / path)
        assert_safe(opened, path)
        assert_shown(opened.page, *texts)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # C0 controls but tab, LF, CR; and DEL


def test_control_characters_in_a_name_neither_crash_the_build_nor_reach_a_page(bank, tmp_path):
    bank.replace("managers.csv", "000102,王芳,", "000102,王芳\x1b[31m红\x07,")
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stdout + result.stderr
    written = {p.relative_to(tmp_path).as_posix() for p in _written(tmp_path / "site", ".html", ".js")
               if CONTROL.search(p.read_text(encoding="utf-8"))}
    assert written == set()


def test_a_control_character_in_a_config_label_is_a_config_error_naming_the_key(bank, tmp_path):
    bank.replace("site_config.yml", "title: {zh: 测试报告,", 'title: {zh: "测试\\e报告",')
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 2 and "site.title.zh" in result.stderr and "Traceback" not in result.stderr
