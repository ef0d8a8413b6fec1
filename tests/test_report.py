"""The per-platform report, checked against hand-computed figures."""

import json

import pytest
from click.testing import CliRunner
from conftest import write_csv

from legitcheck import report
from legitcheck._cli import cli
from legitcheck._errors import InputError
from legitcheck._report import ALL, NONE_NAMED, wilson_interval
from legitcheck.signals import SIGNAL_NAMES


def tagged_row(text, platforms="", signals=(), pay_rates="", **extra):
    row = {"text": text, "signals": ";".join(signals), "platforms": platforms,
           "pay_rates": pay_rates, "payment_methods": "", **extra}
    row.update({s: int(s in signals) for s in SIGNAL_NAMES})
    return row


@pytest.fixture
def tagged(tmp_path):
    rows = [
        tagged_row("a", "Outlier", ["payment_received"], "20 USD/hour; 40 USD/hour",
                   date="2024-01-05", sub="r/outlier"),
        tagged_row("b", "Outlier", ["payment_received", "account_deactivated"], "10 GBP/hour",
                   date="2024-01-20", sub="r/outlier"),
        tagged_row("c", "Outlier;Remotasks", ["account_deactivated"], "30 USD/hour",
                   date="2024-02-01", sub="r/remotasks"),
        tagged_row("d", "Outlier", [], "5 USD/task", date="2024-02-03", sub="r/outlier"),
        tagged_row("e", "", ["low_pay"], "", date="not a date", sub=""),
    ]
    return write_csv(tmp_path / "tagged.csv", rows)


def test_wilson_interval_by_hand():
    low, high = wilson_interval(2, 4)
    assert low == pytest.approx(0.1500, abs=1e-4) and high == pytest.approx(0.8500, abs=1e-4)
    assert wilson_interval(0, 10)[0] == 0.0
    assert wilson_interval(0, 10)[1] == pytest.approx(0.2775, abs=1e-4)
    assert wilson_interval(0, 0) == (0.0, 0.0)


def test_shares_intervals_and_medians_by_hand(tagged):
    s = report(tagged).set_index("group")
    assert s.index.tolist() == ["Outlier", "Remotasks", NONE_NAMED, ALL]
    assert s.loc["Outlier", "posts"] == 4 and s.loc[ALL, "posts"] == 5
    assert s.loc["Outlier", "payment_received_share"] == 0.5
    assert s.loc["Outlier", "payment_received_ci_low"] == pytest.approx(0.15, abs=1e-4)
    assert s.loc["Outlier", "account_deactivated_share"] == 0.5
    assert s.loc["Remotasks", "account_deactivated_share"] == 1.0
    assert s.loc[NONE_NAMED, "low_pay_share"] == 1.0
    assert s.loc[ALL, "account_deactivated_share"] == 0.4
    # hourly USD rates stated in Outlier posts: 20, 40, 30 -> median 30; per task ignored
    assert s.loc["Outlier", "median_hourly_USD"] == 30
    assert s.loc["Outlier", "median_hourly_GBP"] == 10
    assert s.loc[ALL, "hourly_rates_USD"] == 3


def test_group_by_column_month_and_min_posts(tagged):
    by_sub = report(tagged, by="sub").set_index("group")
    assert by_sub.loc["r/outlier", "posts"] == 3 and by_sub.loc["(empty)", "posts"] == 1
    by_month = report(tagged, by="month").set_index("group")
    assert by_month.loc["2024-01", "posts"] == 2 and by_month.loc["2024-02", "posts"] == 2
    assert by_month.loc["(no date)", "posts"] == 1
    thin = report(tagged, min_posts=2)
    assert set(thin["group"]) == {"Outlier", ALL}


def test_unknown_group_column(tagged):
    with pytest.raises(InputError, match="no column 'nope' to group by"):
        report(tagged, by="nope")


def test_raw_posts_are_classified_on_the_fly(posts_csv):
    s = report(posts_csv).set_index("group")
    assert s.loc[ALL, "posts"] == 5
    assert "Outlier" in s.index


def test_cli_writes_all_files_self_contained_and_escaped(tmp_path):
    evil = "<script>alert('x')</script> Outlier deactivated me"
    p = write_csv(tmp_path / "t.csv", [tagged_row(evil, "Outlier", ["account_deactivated"])])
    out = tmp_path / "rep"
    res = CliRunner().invoke(cli, ["report", str(p), "-o", str(out), "-q"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert {f.name for f in out.iterdir()} == {"summary.csv", "summary.json", "index.html",
                                               "heatmap.png"}
    page = (out / "index.html").read_text()
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page
    assert (out / "heatmap.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert json.loads((out / "summary.json").read_text())[0]["group"] == "Outlier"
