"""Private data: only the columns the config reads are ever published, and names can be masked."""
from __future__ import annotations

import zipfile

from generator.extract.privacy import mask_name
from tests.conftest import run_build

ID_CARDS = ("110101199001011234", "110101199202022345")
PHONE = "13800138000"
NAMES = ("张伟", "王芳", "李娜", "刘洋", "陈静")


def published_text(site) -> str:
    """Every file made from the data (guide/ is our documentation, whose worked examples
    happen to use the tiny bank's names)."""
    return "\n".join(_text(path) for path in sorted(site.rglob("*"))
                     if path.is_file() and path.suffix in (".html", ".js", ".csv", ".json", ".xlsx")
                     and path.relative_to(site).parts[0] != "guide")


def _text(path) -> str:
    if path.suffix == ".xlsx":  # a zip of XML parts
        with zipfile.ZipFile(path) as workbook:
            return "\n".join(workbook.read(name).decode("utf-8") for name in workbook.namelist())
    return path.read_bytes().decode("utf-8", "replace")


def plant_private_columns_and_a_rejected_roster_row(bank) -> None:
    """A phone column beside the ID-card column, and 王芳's row rejected (its ID card and phone in it)."""
    lines = bank.lines("managers.csv")
    lines[0] += ",手机号"
    lines[1:] = [line + f",{PHONE}" for line in lines[1:]]
    lines[2] = lines[2].replace("2018-07-15", "2018/13/45")  # not a date: the row is quarantined
    bank.write_lines("managers.csv", lines)


def test_id_cards_and_phones_are_published_nowhere_even_in_quarantined_rows(bank, tmp_path):
    plant_private_columns_and_a_rejected_roster_row(bank)
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    quarantine = (tmp_path / "site/quality/reference.quarantine.csv").read_text(encoding="utf-8-sig")
    assert "000102,王芳,(withheld),(withheld),2018/13/45" in quarantine  # the read columns, for the fix
    text = published_text(tmp_path / "site")
    assert all(number not in text for number in (*ID_CARDS, PHONE))
    assert "男" not in quarantine  # 性别 is not read either


def test_masked_names_appear_nowhere_in_full(bank, tmp_path):
    plant_private_columns_and_a_rejected_roster_row(bank)
    bank.replace("site_config.yml", "version: 1\n", "version: 1\nprivacy:\n  mask_names: true\n")
    result = run_build("--config", str(bank.config), "--out", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    text = published_text(tmp_path / "site")
    for name in NAMES:
        assert name not in text, name
    assert "张*" in (tmp_path / "site/2026-10/managers/000101.html").read_text(encoding="utf-8")
    assert "000102,王*,(withheld)" in (tmp_path / "site/quality/reference.quarantine.csv").read_text(
        encoding="utf-8-sig")


def test_mask_keeps_the_first_character_only():
    assert [mask_name(n) for n in ("张伟", "欧阳娜娜", "Li Na", "王", "")] == ["张*", "欧***", "L****", "*", ""]
