"""The public API and the shipped default model."""

import json
import multiprocessing as mp
import pickle

import pandas as pd
import pytest
from conftest import LABELED

import legitcheck
from legitcheck import SIGNAL_NAMES, PostResult, Predictor, load_predictor
from legitcheck._labels import read_labeled
from legitcheck._persistence import card_path, default_model_path
from legitcheck._training import evaluate_predictor


def test_public_api_is_small_and_versioned():
    assert set(legitcheck.__all__) == {"SIGNALS", "SIGNAL_NAMES", "LegitcheckError",
                                       "PostResult", "Predictor", "__version__",
                                       "load_predictor", "report"}
    assert legitcheck.__version__[0].isdigit()


def test_predict_returns_one_result_per_post(default_predictor):
    out = default_predictor.predict([
        "Been on Outlier 8 months, paid every Tuesday to my PayPal, but this month it's EQ "
        "every day.",
        "",
        None,
    ])
    assert len(out) == 3 and all(isinstance(r, PostResult) for r in out)
    first = out[0]
    assert {"payment_received", "paid_via_paypal"} <= set(first.signals)
    assert list(first.signals) == [s for s in SIGNAL_NAMES if s in first.signals]
    assert set(first.scores) == set(SIGNAL_NAMES)
    assert first.platforms == ("Outlier",) and first.payment_methods == ("PayPal",)
    assert out[1].signals == () and out[2].signals == ()


def test_contract_examples(default_predictor):
    """The worked examples of SIGNALS.md."""
    cases = {
        "Passed the DA starter assessment in March. Dashboard has been empty ever since. "
        "Emailed support twice, nothing.": {"never_received_tasks", "support_unresponsive"},
        "Does anyone know if Remotasks still pays through PayPal?": set(),
        "A 'recruiter' from DataAnnotation texted me on WhatsApp and wants $150 for a starter "
        "kit.": {"upfront_payment_requested"},
        "Woke up to 'your account has been deactivated', $2,869 still owed and no reply from "
        "support.": {"account_deactivated", "unpaid_earnings", "support_unresponsive"},
    }
    results = default_predictor.predict(list(cases))
    hits = sum(set(r.signals) == expected for r, expected in zip(results, cases.values()))
    assert hits >= 3, [r.signals for r in results]


def test_predict_frame_adds_columns_and_keeps_rows(default_predictor):
    df = pd.DataFrame({"id": [3, 1, 2], "body": ["Outlier banned me", "", "is DA legit?"]},
                      index=[10, 11, 12])
    out = default_predictor.predict_frame(df)
    assert out.index.tolist() == [10, 11, 12] and out["id"].tolist() == [3, 1, 2]
    assert list(out.columns[:3]) == ["id", "body", "signals"]
    assert set(SIGNAL_NAMES) <= set(out.columns)


def _predict_in_worker(predictor):
    return predictor.predict(["Outlier deactivated my account"])[0].signals


def test_predictor_pickles_and_works_in_another_process(default_predictor):
    blob = pickle.dumps(default_predictor)
    assert len(blob) < 20_000_000
    with mp.get_context("spawn").Pool(1) as pool:
        remote = pool.apply(_predict_in_worker, (default_predictor,))
    assert remote == _predict_in_worker(default_predictor)


def test_default_model_is_installed_small_and_carded():
    path = default_model_path()
    assert path.is_file()
    card = json.loads(card_path(path).read_text())
    size = path.stat().st_size + card_path(path).stat().st_size
    assert size < 20_000_000
    assert card["labels"] == list(SIGNAL_NAMES)
    assert {"legitcheck", "scikit-learn", "spacy"} <= set(card["versions"])


def test_default_model_is_not_stale():
    """The shipped model must be trained on the current training split."""
    card = json.loads(card_path(default_model_path()).read_text())
    data = read_labeled([LABELED / "train.csv"])
    assert card["training_data"]["sha256"] == data.sha256(), \
        "data/labeled changed: retrain with python scripts/train_default.py"


@pytest.mark.slow
def test_default_model_quality_on_the_held_out_test_split(default_predictor):
    m = evaluate_predictor(default_predictor, [LABELED / "test.csv"])
    assert m["macro_f1"] >= 0.80
    assert min(v["f1"] for v in m["per_label"].values()) >= 0.60
    card = json.loads(card_path(default_model_path()).read_text())
    assert m["macro_f1"] == pytest.approx(card["metrics"]["test"]["macro_f1"], abs=1e-4)


def test_load_predictor_from_path(small_model):
    p = load_predictor(small_model)
    assert isinstance(p, Predictor) and p.labels == SIGNAL_NAMES
    assert set(p.thresholds) == set(SIGNAL_NAMES)


@pytest.mark.slow
def test_wheel_ships_the_default_model_and_embeddings(tmp_path):
    """A non-editable install must find the model: it has to be inside the wheel."""
    import subprocess
    import sys
    import zipfile

    from conftest import ROOT

    res = subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                          str(tmp_path), str(ROOT)], capture_output=True, text=True)
    assert res.returncode == 0, res.stderr[-2000:]
    (wheel,) = tmp_path.glob("legitcheck-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"legitcheck/models/default.joblib", "legitcheck/models/default.card.json",
            "legitcheck/models/embeddings/model.safetensors",
            "legitcheck/models/embeddings/tokenizer.json"} <= names
