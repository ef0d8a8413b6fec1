"""Labeled files in the formats people label in, their checks, new labels and audit."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner
from conftest import LABELED, write_csv

from legitcheck._cli import cli
from legitcheck._errors import InputError
from legitcheck._labels import detect_format, read_labeled
from legitcheck._training import audit_labels, train_model_file
from legitcheck.signals import SIGNAL_NAMES


def names(data):
    return [[lab for lab, y in zip(data.labels, row) if y] for row in data.Y]


def test_separators_and_true_false_columns(tmp_path):
    p = write_csv(tmp_path / "a.csv", [{"text": "x", "labels": "low_pay, good_pay"},
                                       {"text": "y", "labels": "low_pay|steady_work"}])
    assert names(read_labeled([p])) == [["low_pay", "good_pay"], ["low_pay", "steady_work"]]
    row = {"text": "z", **{s: "no" for s in SIGNAL_NAMES}, "low_pay": "TRUE"}
    q = write_csv(tmp_path / "b.csv", [row])
    assert names(read_labeled([q])) == [["low_pay"]]


def test_label_studio_json_full_and_min(tmp_path):
    full = [{"id": 1, "data": {"text": "paid on time"},
             "annotations": [{"result": [{"type": "choices", "from_name": "signals",
                                          "value": {"choices": ["payment_received"]}}]}]},
            {"id": 2, "data": {"text": "nothing here"}, "annotations": [{"result": []}]}]
    (tmp_path / "full.json").write_text(json.dumps(full))
    assert names(read_labeled([tmp_path / "full.json"])) == [["payment_received"], []]
    mini = [{"id": 1, "text": "banned", "signals": "account_deactivated"},
            {"id": 2, "text": "banned, unpaid",
             "signals": {"choices": ["account_deactivated", "unpaid_earnings"]}}]
    (tmp_path / "min.json").write_text(json.dumps(mini))
    assert names(read_labeled([tmp_path / "min.json"])) == [
        ["account_deactivated"], ["account_deactivated", "unpaid_earnings"]]


def test_label_studio_csv_and_doccano(tmp_path):
    ls = write_csv(tmp_path / "ls.csv", [
        {"annotation_id": 5, "annotator": 1, "id": 9, "signals": "low_pay", "text": "3 cents"},
        {"annotation_id": 6, "annotator": 1, "id": 10,
         "signals": json.dumps({"choices": ["low_pay", "work_dried_up"]}), "text": "EQ"}])
    assert detect_format(str(ls)) == "labelstudio-csv"
    assert [set(n) for n in names(read_labeled([ls]))] == [{"low_pay"},
                                                           {"low_pay", "work_dried_up"}]
    dc = tmp_path / "d.jsonl"
    dc.write_text('{"text": "scam kit $99", "label": ["upfront_payment_requested"]}\n'
                  '{"text": "hello", "label": []}\n')
    assert detect_format(str(dc)) == "doccano"
    assert names(read_labeled([dc])) == [["upfront_payment_requested"], []]


def test_conflicts_are_listed_or_resolved(tmp_path):
    rows = [{"text": "Outlier banned me", "labels": "account_deactivated"},
            {"text": "outlier  banned me", "labels": "account_deactivated;unpaid_earnings"},
            {"text": "same twice", "labels": "low_pay"},
            {"text": "same twice", "labels": "low_pay"},
            {"text": "", "labels": "low_pay"}]
    p = write_csv(tmp_path / "c.csv", rows)
    with pytest.raises(InputError, match=r"1 text\(s\) labeled two different ways: .*row 2 "
                                         r"vs .*row 3.*--on-conflict"):
        read_labeled([p])
    first = read_labeled([p], on_conflict="first")
    assert names(first)[0] == ["account_deactivated"] and len(first.texts) == 2
    union = read_labeled([p], on_conflict="union")
    assert names(union)[0] == ["account_deactivated", "unpaid_earnings"]
    drop = read_labeled([p], on_conflict="drop")
    assert drop.texts == ["same twice"]
    assert drop.read == 5 and drop.dropped["empty text"] == 1
    assert drop.dropped["repeated text"] == 1 and drop.dropped["conflicting labels"] == 2


def test_empty_files_and_unknown_labels(tmp_path):
    p = tmp_path / "e.csv"
    p.write_text("text,labels\n")
    with pytest.raises(InputError, match="holds no labeled posts"):
        read_labeled([p])
    q = write_csv(tmp_path / "u.csv", [{"text": "x", "labels": "identity_verification_hassle"}])
    with pytest.raises(InputError, match="unknown label 'identity_verification_hassle'"):
        read_labeled([q])
    data = read_labeled([q], allow_new_labels=True)
    assert data.labels[-1] == "identity_verification_hassle" and data.Y[0, -1] == 1


def test_new_label_is_learned_and_classified(tmp_path, small_labeled):
    rows = pd.read_csv(small_labeled, dtype=str, keep_default_na=False)
    extra = pd.DataFrame({
        "id": [f"n{i}" for i in range(12)],
        "text": [f"They made me re-upload my passport photo for the {i}th time this month, "
                 "identity check again" for i in range(12)],
        "labels": ["identity_verification_hassle"] * 12})
    both = write_csv(tmp_path / "new.csv", pd.concat([rows, extra]).to_dict("records"))
    model = tmp_path / "m.joblib"
    res = CliRunner().invoke(cli, ["train", str(both), "-o", str(model), "--no-cv",
                                   "--allow-new-labels"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    card = json.loads((tmp_path / "m.card.json").read_text())
    assert card["labels"][-1] == "identity_verification_hassle"
    posts = write_csv(tmp_path / "p.csv", [{"text": "identity check again, passport photo"}])
    out = tmp_path / "o.csv"
    CliRunner().invoke(cli, ["classify", str(posts), "--model", str(model), "-o", str(out)],
                       catch_exceptions=False)
    assert "identity_verification_hassle" in pd.read_csv(out).columns


def test_compare_prints_old_and_new_figures(tmp_path, small_labeled, small_model):
    res = CliRunner().invoke(cli, ["train", str(small_labeled), "-o", str(tmp_path / "m.joblib"),
                                   "--compare", str(small_model)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    # small_model has no cross-validated figures in its card, so plain figures are printed
    assert "read 300 rows, kept 300" in res.output and "macro-F1" in res.output


@pytest.mark.slow
def test_audit_ranks_flipped_labels_near_the_top(tmp_path):
    rows = pd.read_csv(LABELED / "train.csv", dtype=str, keep_default_na=False).iloc[:400]
    flipped = []
    for i in range(0, 400, 50):  # 8 posts: drop one given label, or add a wrong one
        labels = [x for x in rows.at[i, "labels"].split(";") if x]
        if labels:
            flipped.append((i, labels[0]))
            rows.at[i, "labels"] = ";".join(labels[1:])
        else:
            flipped.append((i, "disturbing_content"))
            rows.at[i, "labels"] = "disturbing_content"
    p = write_csv(tmp_path / "f.csv", rows.to_dict("records"))
    top = audit_labels([p], top=150)  # 150 of 400 x 15 = 6,000 (post, label) pairs
    hits = {(int(s.rsplit(" ", 1)[1]) - 2, lab) for s, lab in zip(top["source"], top["label"])}
    found = sum(pair in hits for pair in flipped)
    # at random, 8 x 150/6000 = 0.2 of the flipped pairs would land in the top 150
    assert found >= 6, (found, flipped)


def test_train_model_file_reports_rows_read(tmp_path, small_labeled):
    s = train_model_file([small_labeled], tmp_path / "m.joblib", cv=False)
    assert s.read == 300 and s.n_posts == 300


def test_pick_prefers_uncertain_and_spreads_out():
    import numpy as np

    from legitcheck._suggest import pick, uncertainty

    unc = uncertainty(np.array([[0.5], [0.49], [0.95], [0.3]]), np.array([0.5]))
    assert unc[0] == 1.0 and unc[2] < unc[3] < unc[1]
    # several signals: the mean of the three most uncertain, so breadth of doubt counts
    th = np.full(4, 0.5)
    many = uncertainty(np.array([[0.5, 0.45, 0.55, 0.0], [0.5, 0.0, 1.0, 0.0]]), th)
    assert np.allclose(many, [(1 + 0.9 + 0.9) / 3, 1 / 3])
    # two near-identical uncertain posts: the second is skipped for a different one
    vectors = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    assert pick(np.array([0.9, 0.89, 0.6]), vectors, 2, diversity=0.5) == [0, 2]
    assert pick(np.array([0.9, 0.89, 0.6]), vectors, 2, diversity=0.0) == [0, 1]


def test_suggest_cli_writes_csv_and_label_studio_tasks(tmp_path, posts_csv):
    out = tmp_path / "to_label.csv"
    res = CliRunner().invoke(cli, ["suggest", str(posts_csv), "-n", "3", "-o", str(out)],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    rows = pd.read_csv(out, keep_default_na=False)
    assert len(rows) == 3 and {"id", "text", "labels", "uncertainty"} <= set(rows.columns)
    assert "a3" not in rows["id"].tolist()  # the empty post is never suggested
    assert read_labeled([out], on_conflict="first").texts  # imports back as labeled data
    js = tmp_path / "tasks.json"
    CliRunner().invoke(cli, ["suggest", str(posts_csv), "-n", "2", "-o", str(js), "--format",
                             "labelstudio-json"], catch_exceptions=False)
    tasks = json.loads(js.read_text())
    assert len(tasks) == 2 and tasks[0]["predictions"][0]["result"][0]["type"] == "choices"
    # Label Studio reads the guesses as predictions; the task text round-trips
    assert [t["data"]["text"] for t in tasks] == rows["text"].tolist()[:2]


def test_with_default_data_adds_the_shipped_corpus(tmp_path):
    p = write_csv(tmp_path / "mine.csv", [{"text": "brand new complaint about Taskup", "labels":
                                           "low_pay"}])
    res = CliRunner().invoke(cli, ["train", str(p), "--with-default-data", "--no-cv", "-o",
                                   str(tmp_path / "m.joblib")], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    from legitcheck._persistence import default_corpus_path

    shipped = len(pd.read_csv(default_corpus_path()))
    assert f"read {shipped + 1} rows, kept {shipped + 1}" in res.output
