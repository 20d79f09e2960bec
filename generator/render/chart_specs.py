"""Chart specifications, made with Altair once per build and drawn in the browser by the
vendored Vega bundle. Pages carry only their data; the specs ship in one script file,
because a browser will not fetch JSON from a page opened as file://."""
from __future__ import annotations

import json

import altair as alt

from generator.i18n import catalogue

HISTORY_DATA = "history"  # the named dataset a page fills in
FONT = "Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"


def _history_chart(field: str, title: str, reverse: bool) -> alt.Chart:
    """Reverse for ranks: rank 1 at the top, whole numbers only. A None value is a gap."""
    scale = alt.Scale(reverse=True, zero=False) if reverse else alt.Scale(zero=False)
    axis = alt.Axis(tickMinStep=1, format="d") if reverse else alt.Axis()
    return (alt.Chart(alt.NamedData(HISTORY_DATA))
            # a period without a value (held, absent) breaks the line and keeps its place on the
            # axis: a line drawn across it would show a result that does not exist
            .mark_line(point=True, invalid="break-paths-show-domains")
            .encode(x=alt.X("label:O", sort=None, title=None, axis=alt.Axis(labelAngle=-45)),
                    y=alt.Y(f"{field}:Q", title=title, scale=scale, axis=axis),
                    tooltip=[alt.Tooltip("label:O", title=""), alt.Tooltip(f"{field}:Q", title=title)])
            .properties(width="container", height=160))


def chart_specs(language: str) -> dict[str, dict]:
    t = catalogue(language)
    charts = {"score_history": _history_chart("total", t["total_score"], reverse=False),
              "score_trend": _history_chart("total", t["score_mean"], reverse=False),
              "rank_history": _history_chart("rank", t["rank_overall"], reverse=True)}
    return {name: chart.configure(font=FONT).to_dict() for name, chart in charts.items()}


def specs_script(language: str) -> str:
    payload = json.dumps(chart_specs(language), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return f"window.CHART_SPECS = {payload};\n"
