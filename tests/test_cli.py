"""The command line, end to end, over the shipped default model."""

import json
import subprocess
import sys

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import write_csv

from legitcheck._cli import cli
from legitcheck.signals import SIGNAL_NAMES


def run(*args, input=None):
    return CliRunner().invoke(cli, list(map(str, args)), input=input, catch_exceptions=False)


def assert_one_line_error(result, *fragments):
    assert result.exit_code == 2, result.output
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("legitcheck: error: "), result.output
    assert "Traceback" not in result.output
    for f in fragments:
        assert f in lines[0]


def test_classify_writes_signals_beside_the_input(posts_csv):
    result = run("classify", posts_csv)
    assert result.exit_code == 0, result.output
    out = pd.read_csv(posts_csv.with_name("posts.signals.csv"), dtype=str,
                      keep_default_na=False)
    assert out["id"].tolist() == ["a1", "a2", "a3", "a4", "a5"]
    assert list(out.columns[:3]) == ["id", "text", "signals"]
    assert list(out.columns[3:18]) == list(SIGNAL_NAMES)
    assert list(out.columns[18:]) == ["platforms", "pay_rates", "payment_methods"]
    for _, row in out.iterrows():
        present = [s for s in SIGNAL_NAMES if row[s] == "1"]
        assert row["signals"] == ";".join(present)  # SIGNALS.md order
    assert out.loc[2, "signals"] == ""  # the empty post
    assert out.loc[0, "platforms"] == "DataAnnotation"
    assert "upfront_payment_requested" in out.loc[3, "signals"]


def test_classify_scores_and_stdout(posts_csv):
    result = run("classify", posts_csv, "-o", "-", "--scores", "--no-fields")
    out = pd.read_csv(__import__("io").StringIO(result.stdout))
    assert [c for c in out.columns if c.startswith("score_")] == \
        [f"score_{s}" for s in SIGNAL_NAMES]
    assert "platforms" not in out.columns
    assert ((out[[f"score_{s}" for s in SIGNAL_NAMES]] >= 0).all().all())


def test_classify_reads_stdin(posts_csv):
    result = run("classify", "-", input=posts_csv.read_text())
    assert result.exit_code == 0
    assert pd.read_csv(__import__("io").StringIO(result.stdout))["id"].tolist()[0] == "a1"


def test_classify_jsonl_to_parquet(tmp_path):
    p = tmp_path / "p.jsonl"
    p.write_text('{"body": "Outlier deactivated my account"}\n{"body": null}\n')
    result = run("classify", p, "-o", tmp_path / "o.parquet")
    assert result.exit_code == 0
    out = pd.read_parquet(tmp_path / "o.parquet")
    assert len(out) == 2 and out.loc[1, "signals"] == ""


def test_classify_explicit_text_column_and_reddit_title(tmp_path):
    p = write_csv(tmp_path / "r.csv", [{"title": "Deactivated", "selftext": "No warning.",
                                        "msg": "hello"}])
    assert run("classify", p, "--text-column", "msg", "-o", tmp_path / "o.csv").exit_code == 0
    result = run("classify", p, "-o", tmp_path / "o2.csv")
    assert "title + selftext" in result.output


def test_output_column_clash_is_renamed_not_overwritten(tmp_path):
    p = write_csv(tmp_path / "c.csv", [{"text": "paid via PayPal today", "signals": "mine"}])
    run("classify", p, "-o", tmp_path / "o.csv", "-q")
    out = pd.read_csv(tmp_path / "o.csv", keep_default_na=False)
    assert out.loc[0, "signals"] == "mine" and "signals_pred" in out.columns


@pytest.mark.parametrize("make,fragments", [
    (lambda d: d / "missing.csv", ["missing.csv", "no such file"]),
    (lambda d: write_csv(d / "nocol.csv", [{"id": 1, "score": 2}]),
     ["nocol.csv", "no text column", "columns found: id, score"]),
    (lambda d: (d / "x.xlsx").write_text("x") and d / "x.xlsx", ["x.xlsx", "unknown file format"]),
])
def test_bad_input_gives_one_line_and_exit_2(tmp_path, make, fragments):
    assert_one_line_error(run("classify", make(tmp_path)), *fragments)


def test_missing_text_column_option(posts_csv):
    assert_one_line_error(run("classify", posts_csv, "--text-column", "nope"),
                          "no column 'nope'", "columns found: id, text")


def test_other_encoding(tmp_path):
    p = tmp_path / "l.csv"
    p.write_bytes("text\nOutlier pays \xa320/hr\n".encode("latin-1"))
    assert_one_line_error(run("classify", p), "l.csv", "not valid utf-8 at byte 18", "--encoding")
    ok = run("classify", p, "--encoding", "latin-1", "-o", tmp_path / "o.csv")
    assert ok.exit_code == 0
    assert pd.read_csv(tmp_path / "o.csv")["pay_rates"][0] == "20 GBP/hour"


def test_output_equal_to_input_is_refused(posts_csv):
    before = posts_csv.read_bytes()
    assert_one_line_error(run("classify", posts_csv, "-o", posts_csv), "overwrite the input")
    assert posts_csv.read_bytes() == before


def test_huge_and_foreign_posts_keep_their_rows(tmp_path):
    big = "Outlier never paid me. " * 50_000  # about 1 MB
    p = write_csv(tmp_path / "b.csv", [{"text": big}, {"text": "这个平台从来不付钱"},
                                       {"text": "ok"}])
    result = run("classify", p, "-o", tmp_path / "o.csv")
    assert result.exit_code == 0
    assert "classified on their first" in result.output
    assert len(pd.read_csv(tmp_path / "o.csv")) == 3


def test_bad_model_file(tmp_path, posts_csv):
    m = tmp_path / "m.joblib"
    m.write_bytes(b"not a model")
    assert_one_line_error(run("classify", posts_csv, "--model", m), "m.joblib",
                          "not a readable legitcheck model")


def test_signals_and_version():
    out = run("signals").output.splitlines()
    assert [ln.split()[0] for ln in out] == list(SIGNAL_NAMES)
    assert json.loads(run("signals", "--json").output)[0]["family"] == "labor"
    assert run("--version").output.startswith("legitcheck, version ")


def test_train_then_evaluate(tmp_path, small_labeled):
    model = tmp_path / "m.joblib"
    result = run("train", small_labeled, "-o", model, "--no-cv")
    assert result.exit_code == 0 and model.exists()
    assert (tmp_path / "m.card.json").exists()
    assert_one_line_error(run("train", small_labeled, "-o", model, "--no-cv"),
                          "already exists", "--force")
    ev = run("evaluate", small_labeled, "--model", model, "--json")
    metrics = json.loads(ev.stdout)  # the row count goes to stderr
    assert set(metrics["per_label"]) == set(SIGNAL_NAMES) and metrics["macro_f1"] > 0.5
    n = len(pd.read_csv(small_labeled))
    assert metrics["rows"] == {"read": n, "kept": n, "dropped": {}}
    assert f"read {n} rows, kept {n}" in ev.stderr


def test_evaluate_takes_label_formats_and_conflict_choices(tmp_path, small_model):
    # doccano lines in a .txt file: detection by extension fails, --format says what it is
    dc = tmp_path / "labels.txt"
    dc.write_text('{"text": "Outlier deactivated me and kept my $300", '
                  '"label": ["account_deactivated", "unpaid_earnings"]}\n'
                  '{"text": "is DA legit?", "label": []}\n'
                  '{"text": "   ", "label": ["low_pay"]}\n'
                  '{"text": "is DA legit?", "label": ["low_pay"]}\n')
    assert_one_line_error(run("evaluate", dc, "--model", small_model, "--format", "doccano"),
                          "labels.txt", "two different ways", "--on-conflict")
    ev = run("evaluate", dc, "--model", small_model, "--format", "doccano",
             "--on-conflict", "first", "--json")
    assert ev.exit_code == 0, ev.output
    rows = json.loads(ev.stdout)["rows"]
    assert rows["read"] == 4 and rows["kept"] == 2
    assert rows["dropped"] == {"empty text": 1, "conflicting labels": 1}
    assert "dropped 2 (1 empty text, 1 conflicting labels)" in ev.stderr


def test_train_rejects_unknown_label_with_the_closest_name(tmp_path):
    p = write_csv(tmp_path / "l.csv", [{"text": "x", "labels": "low_pay"},
                                       {"text": "y", "labels": "paid_via_paypall"}])
    assert_one_line_error(run("train", p, "-o", tmp_path / "m.joblib"),
                          "l.csv: row 3", "'paid_via_paypall'", "'paid_via_paypal'")


def test_python_dash_m_and_help_do_not_import_heavy_libraries():
    code = ("import sys; from legitcheck._cli import main; sys.argv=['legitcheck','--help'];\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('spacy','sklearn','pandas') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "HEAVY []" in out.stdout
    res = subprocess.run([sys.executable, "-m", "legitcheck", "--help"], capture_output=True,
                         text=True)
    assert res.returncode == 0 and "classify" in res.stdout


def test_train_with_a_missing_pretrained_spacy_pipeline(tmp_path, small_labeled):
    assert_one_line_error(
        run("train", small_labeled, "-o", tmp_path / "m.joblib", "--no-cv",
            "--spacy-model", "xx_not_installed_sm"),
        "'xx_not_installed_sm' is not installed")


def test_classify_with_two_processes_keeps_order_and_results(tmp_path):
    rows = [{"id": str(i), "text": t} for i, t in enumerate(
        ["Outlier deactivated my account", "paid via PayPal again", "", "is DA legit?",
         "3 cents a HIT, insulting", "they want $90 for a starter kit"] * 5)]
    p = write_csv(tmp_path / "p.csv", rows)
    one, two = tmp_path / "one.csv", tmp_path / "two.csv"
    from legitcheck import load_predictor
    from legitcheck._predictor import classify_file

    predictor = load_predictor()
    classify_file(predictor, str(p), str(one), chunk_rows=7)
    classify_file(predictor, str(p), str(two), chunk_rows=7, jobs=2)
    assert one.read_text() == two.read_text()
    assert pd.read_csv(two, dtype=str)["id"].tolist() == [str(i) for i in range(30)]
