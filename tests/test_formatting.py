import pandas as pd

from generator.pages import formatting as fmt


def test_amounts_switch_to_yi_at_ten_thousand_wan():
    assert fmt.quantity(9999.994, "万元") == "9,999.99 万元"
    assert fmt.quantity(12345.6, "万元") == "1.23 亿元"
    assert fmt.quantity(-250000, "万元") == "-25.00 亿元"


def test_quantities_by_unit():
    assert fmt.quantity(1234, "户") == "1,234 户"
    assert fmt.quantity(1.2, "%") == "1.20%"
    assert fmt.quantity(float("nan"), "张") == "—"


def test_percent_score_whole():
    assert fmt.percent(1.0288) == "102.9%" and fmt.score(84.99) == "84.99" and fmt.score(85) == "85.00"
    assert fmt.score(None) == "—" and fmt.whole(20000) == "20,000"


def test_a_whole_column_reads_as_its_values_one_by_one():
    values = [0.0, 0.005, 9999.994, 9999.996, 12345.6, -250000.0, 1234.5, None, float("nan"), pd.NA, 1e12, -0.004]
    for unit in ("元", "%", "户", "张"):
        assert fmt.quantities(values, unit) == [fmt.quantity(v, unit) for v in values]
    assert fmt.percents(values) == [fmt.percent(v) for v in values]
    assert fmt.scores(values) == [fmt.score(v) for v in values]
    assert fmt.scores(pd.Series([85, 120])) == ["85.00", "120.00"]  # whole numbers too
    assert fmt.scores(pd.Series([1.5, None], dtype="Float64")) == ["1.50", "—"]
    assert fmt.quantities([], "万元") == []


def test_a_column_of_amounts_keeps_one_unit_chosen_by_its_median():
    # mostly below 1 亿元: all in 万元, the large one too, so the column sorts by its numbers
    assert fmt.quantities([933.85, 7710.0, 16800.0, None], "万元") == [
        "933.85 万元", "7,710.00 万元", "16,800.00 万元", "—"]
    # median 16,800 万元 ≥ 1 亿元: all in 亿元, the small one too
    assert fmt.quantities([933.85, 16800.0, 25000.0], "万元") == ["0.09 亿元", "1.68 亿元", "2.50 亿元"]
    assert fmt.quantities([-20000.0, -30000.0], "万元") == ["-2.00 亿元", "-3.00 亿元"]  # by size, not sign
