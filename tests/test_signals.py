import re

import pytest
from conftest import SHARED

from legitcheck.signals import FAMILIES, IMPLIES, SIGNAL_NAMES, SIGNALS, closest_signal


def test_fifteen_signals_in_three_families():
    assert len(SIGNAL_NAMES) == 15 == len(set(SIGNAL_NAMES))
    assert {s.family for s in SIGNALS} == set(FAMILIES)
    assert all(s.definition for s in SIGNALS)


@pytest.mark.skipif(not (SHARED / "SIGNALS.md").exists(), reason="../shared not present")
def test_names_and_order_match_the_contract():
    text = (SHARED / "SIGNALS.md").read_text(encoding="utf-8")
    in_tables = re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE)
    assert tuple(in_tables) == SIGNAL_NAMES  # same names, same order as the tables
    family_lines = re.findall(r"^- (scam|labor|good standing): (.+?)(?=^- |^\s*$|^#)", text,
                              flags=re.MULTILINE | re.DOTALL)
    assert len(family_lines) == 3
    for family, names in family_lines:
        listed = re.findall(r"`([a-z_]+)`", names)
        assert {s.name for s in SIGNALS if s.family == family} == set(listed)


def test_paypal_implies_payment_received():
    assert IMPLIES["paid_via_paypal"] == ("payment_received",)


@pytest.mark.parametrize("typo,expected", [
    ("paid_via_paypall", "paid_via_paypal"),
    ("account_deactivate", "account_deactivated"),
    ("Low_Pay", "low_pay"),
    ("zzzz", None),
])
def test_closest_signal(typo, expected):
    assert closest_signal(typo) == expected
