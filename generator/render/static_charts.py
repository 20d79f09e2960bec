"""Charts drawn to SVG at build time: the few a page must print, or show without JavaScript.

The browser draws every chart from its spec (charts.py); a chart that goes into printed
management reports also gets this static SVG, laid out with the configured CJK font. A
missing font would publish labels as empty boxes, so it fails the build instead.
"""
from __future__ import annotations

import copy
import re
from pathlib import Path

import vl_convert

from generator.errors import ConfigError
from generator.render.chart_specs import chart_specs

PRINT_WIDTH = 640  # px: fits an A4 page in portrait
PROBE_TEXT = "考核得分"
EMBEDDED_FONT = re.compile(rb"/BaseFont\s*/(?:[A-Z]{6}\+)?([^\s/]+)")


class StaticCharts:
    """Vega-Lite specs to SVG through vl-convert, with the font checked once."""

    def __init__(self, language: str, font: str, font_directories: list[Path]):
        for directory in font_directories:
            vl_convert.register_font_directory(str(directory))
        require_font(font)
        self.font = font
        self.specs = chart_specs(language)

    def svg(self, name: str, rows: list[dict]) -> str:
        spec = copy.deepcopy(self.specs[name])
        spec["data"] = {"values": rows}
        spec["width"] = PRINT_WIDTH  # "container" has no meaning outside a browser
        spec.setdefault("config", {})["font"] = self.font
        return vl_convert.vegalite_to_svg(spec)


def require_font(font: str) -> None:
    """Render Chinese text in `font` to PDF and look at the font embedded: with the family
    missing, vl-convert embeds none and the text would print as nothing or boxes."""
    probe = {"data": {"values": [{"text": PROBE_TEXT}]}, "width": 80, "height": 20,
             "mark": {"type": "text", "font": font}, "encoding": {"text": {"field": "text"}}}
    embedded = {name.decode("ascii", "replace") for name in EMBEDDED_FONT.findall(vl_convert.vegalite_to_pdf(probe))}
    wanted = re.sub(r"\s+", "", font).lower()
    if not any(name.lower().startswith(wanted) for name in embedded):
        raise ConfigError([
            f"site.chart_font: the font {font!r} is not installed, so Chinese chart labels would print as boxes "
            f"(fonts found for the probe: {', '.join(sorted(embedded)) or 'none'}). "
            "Fix: install it (Debian: apt install fonts-noto-cjk), or list the folder holding its font files "
            "under site.font_directories, or name an installed CJK font in site.chart_font."])
