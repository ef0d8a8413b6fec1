"""The scikit-learn model: estimator checks, thresholds, determinism, persistence."""

import json
import warnings

import joblib
import numpy as np
import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from legitcheck._errors import ModelError
from legitcheck._labels import read_labeled
from legitcheck._model import (
    ModelConfig,
    SignalClassifier,
    apply_implications,
    best_threshold,
    cross_validated_decisions,
    train,
)
from legitcheck._persistence import ModelVersionWarning, card_path, load_model, save_model

# predict applies a tuned threshold per label, so by design it is not argmax(predict_proba)
# (decision_function is consistent with predict instead). These checks test that equality.
THRESHOLDED = "predict uses per-label tuned thresholds, not predict_proba > 0.5"


def _expected_failures(estimator):
    return {
        "check_classifier_multioutput": THRESHOLDED,
    }


@parametrize_with_checks([SignalClassifier(threshold_cv=3)],
                         expected_failed_checks=_expected_failures)
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)


def test_multilabel_fit_predict_and_thresholds():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(120, 4))
    Y = np.column_stack([X[:, 0] > 0, X[:, 1] > 0.5, np.zeros(120)]).astype(int)
    clf = SignalClassifier(threshold_cv=3).fit(X, Y)
    P = clf.predict_proba(X)
    assert P.shape == (120, 3) and clf.thresholds_.shape == (3,)
    assert (clf.predict(X)[:, 0] == Y[:, 0]).mean() > 0.9
    assert (clf.predict(X)[:, 2] == 0).all()  # constant label: never predicted


def test_cv_scores_are_out_of_fold_and_pick_the_thresholds():
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(3)
    X = rng.normal(size=(90, 4))
    Y = np.column_stack([X[:, 0] + rng.normal(size=90) > 0, np.zeros(90),
                         np.arange(90) < 1]).astype(int)
    clf = SignalClassifier(threshold_cv=3, C=1.0).fit(X, Y)
    scores, folds = clf.cv_scores_, clf.cv_folds_
    assert scores.shape == folds.shape == Y.shape
    assert set(np.unique(folds[:, 0])) == {0, 1, 2}
    for k in range(3):  # each fold's scores come from a model fitted without it
        held = folds[:, 0] == k
        model = LogisticRegression(C=1.0, class_weight="balanced", solver="liblinear",
                                   random_state=clf.random_state).fit(X[~held], Y[~held, 0])
        assert np.allclose(scores[held, 0], model.predict_proba(X[held])[:, 1], atol=1e-5)
    assert clf.thresholds_[0] == best_threshold(Y[:, 0], scores[:, 0].astype(float))
    # A constant label and one with a single positive cannot be split: no fold, no score.
    assert (folds[:, 1:] == -1).all() and np.isnan(scores[:, 1:]).all()


def test_cross_validated_cut_of_a_fold_ignores_that_folds_labels():
    rng = np.random.default_rng(2)
    scores = rng.uniform(size=(200, 2))
    Y = (scores + rng.normal(scale=0.2, size=scores.shape) > 0.6).astype(int)
    folds = np.column_stack([np.arange(200) % 4, np.r_[np.full(100, -1), np.arange(100) % 2]])
    before = cross_validated_decisions(Y, scores, folds)
    assert (before[:100, 1] == 0).all()  # posts outside the label's folds: no decision
    flipped = Y.copy()
    flipped[folds == 0] = 1 - flipped[folds == 0]  # relabel fold 0 only
    after = cross_validated_decisions(flipped, scores, folds)
    assert np.array_equal(before[folds == 0], after[folds == 0])
    assert not np.array_equal(before[folds > 0], after[folds > 0])


def test_best_threshold_maximises_f1():
    y = np.array([0, 0, 0, 1, 1, 1])
    scores = np.array([0.1, 0.2, 0.35, 0.4, 0.8, 0.9])
    t = best_threshold(y, scores)
    assert 0.35 < t <= 0.4


def test_implications_add_payment_received_to_paypal():
    labels = ("payment_received", "paid_via_paypal")
    Y = apply_implications(np.array([[0, 1], [0, 0]]), labels)
    assert Y.tolist() == [[1, 1], [0, 0]]


@pytest.fixture(scope="module")
def small_data(small_labeled):
    return read_labeled([small_labeled])


def test_same_data_and_seed_give_the_same_model(small_data):
    a = train(small_data.texts, small_data.Y, small_data.labels, cv=False).pipeline
    b = train(small_data.texts, small_data.Y, small_data.labels, cv=False).pipeline
    texts = small_data.texts[:50] + ["Outlier never paid me", "is DA legit?"]
    assert np.array_equal(a.named_steps["clf"].thresholds_, b.named_steps["clf"].thresholds_)
    assert np.array_equal(a.predict_proba(texts), b.predict_proba(texts))


def test_reporting_cross_validated_figures_does_not_change_the_model(small_data):
    config = ModelConfig(cv_folds=3)
    a = train(small_data.texts, small_data.Y, small_data.labels, config, cv=True)
    b = train(small_data.texts, small_data.Y, small_data.labels, config, cv=False)
    assert a.cv_metrics and b.cv_metrics is None
    texts = small_data.texts[:40] + ["DA never sent me a single task"]
    assert np.array_equal(a.pipeline.predict_proba(texts), b.pipeline.predict_proba(texts))
    assert np.array_equal(a.pipeline.predict(texts), b.pipeline.predict(texts))


def test_cross_validation_reports_every_label(small_data):
    result = train(small_data.texts, small_data.Y, small_data.labels,
                   ModelConfig(cv_folds=3), cv=True)
    m = result.cv_metrics
    assert set(m["per_label"]) == set(small_data.labels)
    assert 0 < m["macro_f1"] <= 1 and m["n_posts"] == len(small_data.texts)


def test_save_load_round_trip(tmp_path, small_model):
    pipeline, labels, card = load_model(small_model)
    out = tmp_path / "copy.joblib"
    save_model(pipeline, labels, out, {"name": "copy"})
    p2, l2, c2 = load_model(out)
    texts = ["Outlier deactivated my account and kept $300", "paid via PayPal every week"]
    assert l2 == labels and c2["name"] == "copy"
    assert np.array_equal(p2.predict_proba(texts), pipeline.predict_proba(texts))
    card = json.loads(card_path(out).read_text())
    assert set(card["thresholds"]) == set(labels)
    assert {"legitcheck", "scikit-learn", "spacy"} <= set(card["versions"])


def test_missing_truncated_and_foreign_model_files(tmp_path, small_model):
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "nope.joblib")
    truncated = tmp_path / "trunc.joblib"
    truncated.write_bytes(small_model.read_bytes()[:2000])
    with pytest.raises(ModelError, match="truncated or foreign"):
        load_model(truncated)
    foreign = tmp_path / "foreign.joblib"
    joblib.dump({"hello": "world"}, foreign)
    with pytest.raises(ModelError, match="not a legitcheck model"):
        load_model(foreign)
    text = tmp_path / "text.joblib"
    text.write_text("just some text")
    with pytest.raises(ModelError):
        load_model(text)


def test_other_major_library_version_warns_with_both_versions(tmp_path, small_model):
    payload = joblib.load(small_model)
    payload["versions"]["scikit-learn"] = "0.24.2"
    old = tmp_path / "old.joblib"
    joblib.dump(payload, old)
    with pytest.warns(ModelVersionWarning, match=r"scikit-learn 0\.24\.2.*running scikit-learn"):
        load_model(old)


def test_same_versions_do_not_warn(small_model):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(small_model)
