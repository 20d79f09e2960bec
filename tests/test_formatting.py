from generator import formatting as fmt


def test_amounts_switch_to_yi_at_ten_thousand_wan():
    assert fmt.amount(9999.994) == "9,999.99 万元"
    assert fmt.amount(12345.6) == "1.23 亿元"
    assert fmt.amount(-250000) == "-25.00 亿元"


def test_quantities_by_unit():
    assert fmt.quantity(1234, "户") == "1,234 户"
    assert fmt.quantity(1.2, "%") == "1.20%"
    assert fmt.quantity(float("nan"), "张") == "—"


def test_percent_score_whole():
    assert fmt.percent(1.0288) == "102.9%" and fmt.score(84.99) == "84.99" and fmt.score(85) == "85.00"
    assert fmt.score(None) == "—" and fmt.whole(20000) == "20,000"
