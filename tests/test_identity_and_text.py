"""Identity and text: IDs normalized as data.ids says and matched on that in every file; IDs a reader
cannot tell apart (invisible characters, Unicode look-alikes) rejected naming both rows; digits other
than 0-9 never read as figures; bidi controls never reorder a page's own text (checked by where a
real Chromium lays out each character) and are shown as [U+XXXX] in downloads; download cells cut
at Excel's 32,767 characters with a mark, the cut cells named on the data-quality page."""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
import yaml
from jinja2 import Environment

from generator.errors import ConfigError, DataError
from generator.export.safe_csv import CUT_MARK, neutralize, write_csv
from generator.export.xlsx import write_workbook
from generator.render.writer import Writer
from generator.text import EXCEL_CELL_LIMIT, bidi_shown_bytes, cut_for_excel, excel_length
from tests.conftest import run_build

ROSTER = "managers.csv"
UNITS = "units.csv"
PERF_09 = "periods/2026-09/performance.csv"
PERIOD_FILES = [f"periods/{period}/{name}.csv" for period in ("2026-09", "2026-10")
                for name in ("performance", "targets", "evaluations")]
RLO = "\u202e"  # RIGHT-TO-LEFT OVERRIDE


def issues_of(dataset, rule):
    return [issue for issue in dataset.issues if issue.rule == rule]


def only_issue(dataset, rule):
    found = issues_of(dataset, rule)
    assert len(found) == 1, [i.describe() for i in dataset.issues]
    return found[0]


def performance_ids(dataset, period):
    frame = dataset.performance
    return sorted(frame.loc[frame["period"] == period, "manager_id"])


def set_ids(bank, **rules):
    config = yaml.safe_load(bank.config.read_text(encoding="utf-8"))
    config["data"]["ids"] = rules
    bank.config.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")


def respell(bank, old: str, new: str, files) -> None:
    """Write manager `old` as `new` at the start of its row in each of `files`."""
    for relative in files:
        lines = bank.lines(relative)
        bank.write_lines(relative, [new + line[len(old):] if line.startswith(old + ",") else line for line in lines])


# --- data.ids: one spelling in every file ---------------------------------------------------

def test_by_default_ids_are_kept_as_written_and_zeros_matter(bank):
    respell(bank, "000105", "105", [PERF_09])
    dataset = bank.load()
    issue = only_issue(dataset, "unknown_manager")
    assert (issue.file, issue.row, issue.value) == (PERF_09, 5, "105")


def test_case_upper_matches_ids_written_in_either_case_and_publishes_the_upper_one(bank):
    respell(bank, "000105", "cm105", [ROSTER])
    respell(bank, "000105", "CM105", PERIOD_FILES)
    assert {i.rule for i in bank.load().issues} == {"unknown_manager"}  # "keep": two IDs
    set_ids(bank, case="upper")
    dataset = bank.load()
    assert dataset.issues == []
    assert "CM105" in dataset.managers.index and "cm105" not in dataset.managers.index
    assert "CM105" in performance_ids(dataset, "2026-09") and "CM105" in performance_ids(dataset, "2026-10")


def test_leading_zeros_strip_makes_000105_and_105_one_id(bank):
    respell(bank, "000105", "105", [PERF_09])
    set_ids(bank, leading_zeros="strip")
    dataset = bank.load()
    assert dataset.issues == []
    assert list(dataset.managers.index) == ["101", "102", "103", "104", "105"]
    assert "0" not in "".join(dataset.units.index.str[0])  # unit IDs follow the same rules
    assert dataset.units.loc["101", "parent_id"] == "100"


def test_pad_to_restores_zeros_a_spreadsheet_dropped(bank):
    respell(bank, "000105", "105", [PERF_09, "periods/2026-09/targets.csv"])
    set_ids(bank, pad_to=6)
    dataset = bank.load()
    assert dataset.issues == []
    assert performance_ids(dataset, "2026-09") == ["000101", "000102", "000104", "000105"]
    assert set(dataset.targets["manager_id"]) >= {"000105"}


def test_trim_false_keeps_spaces_so_the_id_no_longer_matches(bank):
    bank.replace(PERF_09, "000105,陈静", '" 000105",陈静')
    assert bank.load().issues == []  # trimmed by default
    set_ids(bank, trim=False)
    assert only_issue(bank.load(), "unknown_manager").row == 5


def test_strip_and_pad_to_together_are_a_config_error_naming_the_key(bank):
    set_ids(bank, leading_zeros="strip", pad_to=6)
    with pytest.raises(ConfigError) as raised:
        bank.load()
    text = "\n".join(raised.value.messages)
    assert "data.ids" in text and "pad_to" in text and "Fix" in text


def test_an_unknown_id_rule_is_a_config_error_naming_the_key(bank):
    set_ids(bank, case="title")
    with pytest.raises(ConfigError) as raised:
        bank.load()
    assert "data.ids.case" in "\n".join(raised.value.messages)


# --- invisible characters and look-alikes -------------------------------------------------------

@pytest.mark.parametrize("character", ["\u200b", "\u200d", "\ufeff", "\u00a0", "\u3000", RLO, "\u2060"])
def test_an_id_with_an_invisible_character_is_rejected_naming_the_row_it_looks_like(bank, character):
    respell(bank, "000105", "000105" + character, [PERF_09])
    dataset = bank.load()
    issue = only_issue(dataset, "invisible_in_id")
    code = f"U+{ord(character):04X}"
    assert (issue.file, issue.row, issue.column, issue.severity) == (PERF_09, 5, "客户经理编号", "reject")
    assert issue.value == f"000105[{code}]"
    assert code in issue.message and "managers.csv:6:客户经理编号" in issue.message
    assert "managers.csv:6:客户经理编号" in issue.message_zh and code in issue.message_zh
    # not a second manager: the row is quarantined, and its manager is the one it looks like (held)
    assert performance_ids(dataset, "2026-09") == ["000101", "000102", "000104"]
    assert issue.manager_id == "000105"
    assert character not in "".join(dataset.performance["manager_id"])


def test_an_invisible_character_inside_the_id_is_found_too(bank):
    respell(bank, "000105", "000\u200b105", [PERF_09])
    issue = only_issue(bank.load(), "invisible_in_id")
    assert issue.value == "000[U+200B]105" and "ZERO WIDTH SPACE" in issue.message


def test_a_roster_row_differing_only_by_a_zero_width_space_is_rejected_not_a_second_manager(bank):
    bank.append(ROSTER, "000105\u200b,陈静,女,110101199105055678,2016-05-20,,机构,客户经理,在岗")
    dataset = bank.load()
    issue = only_issue(dataset, "invisible_in_id")
    assert (issue.file, issue.row) == (ROSTER, 7) and "managers.csv:6:客户经理编号" in issue.message
    assert [i.rule for i in dataset.issues] == ["invisible_in_id"]  # not also two conflicting rows
    assert list(dataset.managers.index) == ["000101", "000102", "000103", "000104", "000105"]


def test_an_id_of_invisible_characters_only_is_not_called_empty(bank):
    bank.replace(PERF_09, "000105,陈静", "\u200b,陈静")
    dataset = bank.load()
    assert only_issue(dataset, "invisible_in_id").value == "[U+200B]"
    assert issues_of(dataset, "empty_id") == []


def test_a_full_width_twin_of_a_roster_id_is_rejected_naming_both_rows(bank):
    respell(bank, "000105", "０００１０５", [PERF_09])
    dataset = bank.load()
    issue = only_issue(dataset, "look_alike_id")
    assert (issue.file, issue.row, issue.column, issue.value) == (PERF_09, 5, "客户经理编号", "０００１０５")
    assert "managers.csv:6:客户经理编号" in issue.message and "000105" in issue.message
    assert "managers.csv:6:客户经理编号" in issue.message_zh
    assert performance_ids(dataset, "2026-09") == ["000101", "000102", "000104"]


def test_of_two_roster_rows_that_are_look_alikes_the_look_alike_is_rejected_naming_the_plain_one(bank):
    bank.append(ROSTER, "０００１０６,赵敏,女,x,2020-01-01,,公司,客户经理,在岗",
                "000106,钱多,男,x,2020-01-01,,公司,客户经理,在岗")
    dataset = bank.load()
    issue = only_issue(dataset, "look_alike_id")
    assert (issue.file, issue.row, issue.value) == (ROSTER, 7, "０００１０６")
    assert "managers.csv:8:客户经理编号" in issue.message
    assert dataset.managers.loc["000106", "name"] == "钱多"


def test_a_superscript_in_an_id_is_a_look_alike_even_when_full_width_folds(bank):
    respell(bank, "000105", "00010⁵", [PERF_09])
    set_ids(bank, full_width="fold")
    issue = only_issue(bank.load(), "look_alike_id")
    assert issue.value == "00010⁵" and "managers.csv:6:客户经理编号" in issue.message


def test_full_width_fold_matches_a_full_width_id_with_the_plain_one(bank):
    respell(bank, "000105", "０００１０５", [PERF_09])
    set_ids(bank, full_width="fold")
    dataset = bank.load()
    assert dataset.issues == []
    assert performance_ids(dataset, "2026-09") == ["000101", "000102", "000104", "000105"]


def test_ids_the_rules_make_one_are_not_look_alikes(bank):
    respell(bank, "000105", "ab105", [ROSTER])
    respell(bank, "000105", "ＡＢ105", [PERF_09])  # full-width capitals: folded, then made upper
    respell(bank, "000105", "AB105", [f for f in PERIOD_FILES if f != PERF_09])
    set_ids(bank, case="upper")
    dataset = bank.load()
    # ab105 and AB105 are one ID by the config; ＡＢ105 is written with other characters than the roster's
    assert [i.rule for i in dataset.issues] == ["look_alike_id"]
    assert performance_ids(dataset, "2026-10")[-1] == "AB105"


def test_a_look_alike_unit_id_is_rejected_against_the_unit_table(bank):
    bank.replace(PERF_09, "000105,陈静,010101", "000105,陈静,０１０１０１")
    issue = only_issue(bank.load(), "look_alike_id")
    assert (issue.column, issue.row) == ("所属机构编号", 5) and "units.csv:4:机构编号" in issue.message


def test_look_alikes_in_the_unit_table_stop_the_build_naming_both_rows(bank):
    bank.append(UNITS, "０１０１０３,东湖滨江网点,010101,网点", "010103,东湖江滩网点,010101,网点")
    with pytest.raises(DataError) as raised:
        bank.load()
    text = "\n".join(raised.value.messages)
    assert "units.csv, row 7" in text and "units.csv:8:机构编号" in text and "look_alike_id" in text
    assert "units.csv, row 8," not in text


def test_a_parent_written_with_look_alike_digits_stops_the_build(bank):
    bank.replace(UNITS, "0101,江城市分行,0100", "0101,江城市分行,０１００")
    with pytest.raises(DataError) as raised:
        bank.load()
    assert "units.csv:2:机构编号" in "\n".join(raised.value.messages)


def test_a_full_width_id_written_so_in_every_file_is_rejected_or_with_fold_read_as_ascii(bank):
    respell(bank, "000105", "０００１０５", [ROSTER] + PERIOD_FILES)
    rejected = issues_of(bank.load(), "look_alike_id")
    assert len(rejected) == 7 and (ROSTER, 6) in {(issue.file, issue.row) for issue in rejected}
    set_ids(bank, full_width="fold")
    dataset = bank.load()
    assert dataset.issues == []
    assert "000105" in dataset.managers.index and "000105" in performance_ids(dataset, "2026-10")


# --- digits other than 0-9 ------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["1²", "①", "١٥٠٠٠", "१५", "15000.0\u2075"])
def test_digits_other_than_0_to_9_are_rejected_not_folded(bank, cell):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", f"000105,陈静,010101,{cell}")
    issue = only_issue(bank.load(), "non_ascii_digits")
    assert (issue.row, issue.column, issue.value, issue.severity) == (5, "日均存款余额", cell, "reject")
    assert "0–9" in issue.fix and "0–9" in issue.fix_zh


def test_a_date_with_a_superscript_digit_is_rejected(bank):
    bank.replace("periods/2026-09/violations.csv", "2026-09-12", "2026-09-1²")
    issue = only_issue(bank.load(), "non_ascii_digits")
    assert (issue.column, issue.value) == ("违规日期", "2026-09-1²")


def test_full_width_digits_stay_readable(bank):
    bank.replace(PERF_09, "000105,陈静,010101,15000.00", "000105,陈静,010101,１５０００．００")
    dataset = bank.load()
    assert dataset.issues == []


# --- bidi controls --------------------------------------------------------------------------------

def test_a_bidi_control_in_a_name_is_removed_with_a_warning_naming_the_cell(bank):
    bank.replace(ROSTER, "000101,张伟", f"000101,张{RLO}伟")
    dataset = bank.load()
    issue = only_issue(dataset, "bidi_control")
    assert (issue.file, issue.row, issue.column, issue.severity) == (ROSTER, 2, "姓名", "warning")
    assert issue.value == "张[U+202E]伟" and "[U+202E]" in issue.message and "[U+202E]" in issue.message_zh
    assert dataset.managers.loc["000101", "name"] == "张伟"


def test_bidi_controls_in_unit_names_and_violation_texts_are_warnings_too(bank):
    bank.replace(UNITS, "江城东湖支行", "江城\u2067东湖\u2069支行")
    bank.replace("periods/2026-09/violations.csv", "造成资产损失", "造成\u200f资产损失")
    dataset = bank.load()
    found = {(i.file, i.column) for i in issues_of(dataset, "bidi_control")}
    assert found == {(UNITS, "机构名称"), ("periods/2026-09/violations.csv", "说明")}
    assert dataset.units.loc["010101", "name"] == "江城东湖支行"
    assert dataset.violations["description"].tolist() == ["造成资产损失"]


def test_a_bidi_control_in_a_config_label_is_a_config_error_naming_the_key(bank):
    bank.replace("site_config.yml", "title: {zh: 测试报告", f"title: {{zh: 测试{RLO}报告")
    with pytest.raises(ConfigError) as raised:
        bank.load()
    text = "\n".join(raised.value.messages)
    assert "site.title.zh" in text and "[U+202E]" in text and "Fix" in text


def test_downloads_show_bidi_controls_as_marks():
    assert neutralize(f"abc{RLO}def") == "abc[U+202E]def"
    assert neutralize("=1+1\u2066") == "'=1+1[U+2066]"
    assert bidi_shown_bytes(f"<p>x{RLO}y\u2014</p>".encode()) == "<p>x[U+202E]y\u2014</p>".encode()
    page = "<p>——…“”</p>".encode()  # characters that share the bidi controls' first UTF-8 bytes
    assert bidi_shown_bytes(page) is page


def test_no_file_of_the_site_holds_a_bidi_control(bank, tmp_path):
    bank.replace(ROSTER, "000101,张伟", f"000101,张{RLO}伟")
    bank.replace("periods/2026-09/violations.csv", "造成资产损失", f"造成{RLO}资产损失")
    # a rejected row keeps its cells in the quarantine file: the control is shown there, not kept
    bank.append(PERF_09, f"000199,无名,0101{RLO}01,1.00,1.00,1,0.00")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 0, result.stderr
    controls = [chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))]
    for path in sorted(p for p in out.resolve().rglob("*") if p.is_file()):
        data = path.read_bytes()
        text = data.decode("utf-8") if path.suffix != ".xlsx" else _xlsx_text(data)
        assert not any(control in text for control in controls), path
    reference = (out / "quality" / "reference.html").read_text(encoding="utf-8")
    assert "<td>张[U+202E]伟</td>" in reference and "bidi_control" in reference
    assert "<td>造成[U+202E]资产损失</td>" in (out / "quality" / "2026-09.html").read_text(encoding="utf-8")
    assert "0101[U+202E]01" in (out / "quality" / "2026-09.quarantine.csv").read_text(encoding="utf-8-sig")


def test_the_page_writer_shows_a_bidi_control_that_reached_a_page(tmp_path):
    writer = Writer(tmp_path, Environment(), shell=None, periods=["2026-10"], static_charts=None)
    writer.text("2026-10/x.html", f"<p>张伟{RLO}123 客户经理</p>")
    assert (tmp_path / "2026-10/x.html").read_text(encoding="utf-8") == "<p>张伟[U+202E]123 客户经理</p>"


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


CHARACTER_XS = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const xs = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange();
      range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width > 0) xs.push([node.data[i], box.left]);
    }
  }
  return xs;
}"""


def _laid_out(opened, selector: str) -> list[tuple[str, float]]:
    return [tuple(pair) for pair in opened.page.locator(selector).first.evaluate(CHARACTER_XS)]


def test_a_name_with_a_bidi_override_does_not_reorder_the_page_in_a_browser(bank, tmp_path, open_page):
    """Where Chromium lays out each character of the heading: left to right in reading order. The
    same measurement on a page holding the raw override shows it reversed (the check can fail)."""
    bank.replace(ROSTER, "000101,张伟", f"000101,张伟{RLO}123")
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page = next(p for p in (out / "2026-10").rglob("*.html") if "000101" in p.name)
    opened = open_page(page)
    heading = _laid_out(opened, "h1")
    text = "".join(character for character, _ in heading)
    assert "张伟123" in text
    xs = [x for _, x in heading]
    assert xs == sorted(xs), heading

    control = tmp_path / "control.html"
    control.write_text(f"<!doctype html><meta charset=utf-8><h1>张伟{RLO}123 客户经理</h1>", encoding="utf-8")
    raw = _laid_out(open_page(control), "h1")
    raw_xs = [x for _, x in raw]
    assert raw_xs != sorted(raw_xs)  # the override reverses "123 客户经理" on screen


# --- Excel's cell limit ----------------------------------------------------------------------------

def test_cut_cells_fit_excel_and_say_how_much_was_cut():
    text = "甲" * 40_000
    cut = neutralize(text)
    assert excel_length(cut) <= EXCEL_CELL_LIMIT and cut.startswith("甲" * 32_000)
    cut_count = 40_000 - cut.index("…")
    assert cut.endswith(CUT_MARK.format(count=f"{cut_count:,}"))
    assert "已截断" in cut and "characters cut" in cut
    assert neutralize("甲" * EXCEL_CELL_LIMIT) == "甲" * EXCEL_CELL_LIMIT  # exactly the limit: whole
    emoji = cut_for_excel("😀" * 20_000, CUT_MARK)  # two UTF-16 units each, never split
    assert excel_length(emoji) <= EXCEL_CELL_LIMIT and "\ud83d" not in emoji


def test_downloads_hold_no_cell_beyond_the_limit(tmp_path):
    long = "=" + "x" * 50_000
    write_workbook(tmp_path / "t.xlsx", "t", ["name"], [[long]])
    cell = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A2"].value
    assert len(cell) <= EXCEL_CELL_LIMIT and cell.startswith("'=xxx") and "characters cut" in cell
    write_csv(tmp_path / "t.csv", ["name"], [[long]])
    rows = list(csv.reader(io.StringIO((tmp_path / "t.csv").read_text(encoding="utf-8-sig"))))
    assert len(rows[1][0]) <= EXCEL_CELL_LIMIT and rows[1][0].endswith("characters cut]")


def test_a_cell_longer_than_excel_holds_is_named_on_the_data_quality_page_and_cut_in_downloads(bank, tmp_path):
    description = "造成资产损失" + "详" * 40_000
    bank.replace("periods/2026-09/violations.csv", "造成资产损失", description)
    name = "张伟" + "长" * 33_000
    bank.replace(ROSTER, "000101,张伟", f"000101,{name}")
    dataset = bank.load()
    found = {(i.file, i.row, i.column) for i in issues_of(dataset, "cell_too_long")}
    assert found == {("periods/2026-09/violations.csv", 2, "说明"), (ROSTER, 2, "姓名")}
    assert dataset.managers.loc["000101", "name"] == name  # kept whole for the pages
    out = tmp_path / "site"
    result = run_build("--config", str(bank.config), "--out", str(out))
    assert result.returncode == 0, result.stderr
    quality = (out / "quality" / "2026-09.html").read_text(encoding="utf-8")
    assert quality.count("cell_too_long") >= 1 and "32,767" in quality
    for download in sorted((out / "2026-10").rglob("*.xlsx")):
        sheet = openpyxl.load_workbook(download).active
        texts = [c for row in sheet.iter_rows(values_only=True) for c in row if isinstance(c, str)]
        assert all(len(c) <= EXCEL_CELL_LIMIT for c in texts), download
        assert any(c.startswith("张伟长") and "characters cut" in c for c in texts), download
