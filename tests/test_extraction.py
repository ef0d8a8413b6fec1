"""Extracted fields: platforms, pay rates, payment methods (rules, not learned)."""

import csv
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from legitcheck._extract import PayRate, find_pay_rates, find_payment_methods
from legitcheck.platforms import PLATFORM_NAMES, platforms_in

CASES = Path(__file__).parent / "data" / "extraction_cases.csv"


def _cases():
    with open(CASES, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _split(cell, sep=";"):
    return {p.strip() for p in cell.split(sep) if p.strip()}


def test_extraction_file_is_big_enough_and_uses_canonical_names():
    rows = _cases()
    assert len(rows) >= 150
    for r in rows:
        assert _split(r["platforms"]) <= set(PLATFORM_NAMES), r["id"]


def _f1(column, extract) -> float:
    """Micro-F1 of ``extract(text)`` against the expected set in ``column``."""
    tp = fp = fn = 0
    for r in _cases():
        expected, got = _split(r[column]), set(extract(r["text"]))
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
    return 2 * tp / (2 * tp + fp + fn)


def test_platform_f1_on_hand_checked_cases():
    assert _f1("platforms", platforms_in) >= 0.95


def test_pay_rate_exact_match_on_hand_checked_cases():
    rows = _cases()
    exact = sum("; ".join(map(str, find_pay_rates(r["text"]))) == r["pay_rates"].strip()
                for r in rows)
    assert exact / len(rows) >= 0.90


def test_payment_method_f1_on_hand_checked_cases():
    assert _f1("payment_methods", find_payment_methods) >= 0.90


@pytest.mark.parametrize("text,expected", [
    ("$20/hr", ["20 USD/hour"]),
    ("20 bucks an hour", ["20 USD/hour"]),
    ("$20-25 per hour", ["20 USD/hour", "25 USD/hour"]),
    ("£50 per hour", ["50 GBP/hour"]),
    ("₹300 per task", ["300 INR/task"]),
    ("5 cents a HIT", ["0.05 USD/task"]),
    ("$3k a month", ["3000 USD/month"]),
    ("KES 1,200 a day", ["1200 KES/day"]),
    ("made $150 total", ["150 USD/total"]),
    ("$2,869 unpaid", []),
    ("owed $300 a week ago", []),
    ("a $150 starter kit", []),
])
def test_pay_rates(text, expected):
    assert [str(r) for r in find_pay_rates(text)] == expected


def test_pay_rate_hourly_usd_is_rough_and_hourly_only():
    assert PayRate(10, "GBP", "hour").usd_per_hour == pytest.approx(12.7)
    assert PayRate(10, "USD", "task").usd_per_hour is None


@pytest.mark.parametrize("text,expected", [
    ("Passed the DA starter assessment, dashboard empty", ("DataAnnotation",)),
    ("the DA charged him with fraud", ()),
    ("that point is an outlier in the data", ()),
    ("Outlier pays weekly", ("Outlier",)),
    ("I do mturk and Prolific studies", ("Amazon Mechanical Turk", "Prolific")),
    ("she is a prolific writer", ()),
    ("a hybrid job at the office", ()),
    ("Lionbridge became TELUS", ("TELUS International",)),
])
def test_platform_aliases_and_context(text, expected):
    assert platforms_in(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("paid to my PayPal", ("PayPal",)),
    ("they want a gift card and USDT", ("gift card", "crypto")),
    ("check the dashboard twice", ()),
    ("sent via Wise", ("Wise",)),
    ("a wise choice", ()),
])
def test_payment_methods(text, expected):
    assert find_payment_methods(text) == expected


@given(st.text(max_size=400))
def test_extractors_never_fail_on_any_text(text):
    for rate in find_pay_rates(text):
        assert rate.amount >= 0 and rate.unit in ("hour", "task", "day", "week", "month", "total")
    assert set(platforms_in(text)) <= set(PLATFORM_NAMES)
    find_payment_methods(text)
