"""The scikit-learn model: one linear classifier per signal with its own decision threshold.

``build_pipeline`` assembles spaCy step -> features -> :class:`SignalClassifier`;
``train`` fits it and measures it by cross-validation on the training data only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ._defaults import CV_FOLDS, MAX_CHARS, SEED
from ._features import SpacyFeaturizer, make_features

THRESHOLD_GRID = np.round(np.arange(0.05, 0.951, 0.025), 3)


def best_threshold(y_true: np.ndarray, scores: np.ndarray) -> float:
    """The threshold on ``scores`` that maximises F1 (ties: the one nearest 0.5)."""
    best, best_f1 = 0.5, -1.0
    positives = y_true.sum()
    for t in sorted(THRESHOLD_GRID, key=lambda t: abs(t - 0.5)):
        pred = scores >= t
        tp = np.sum(pred & (y_true == 1))
        denom = pred.sum() + positives
        f1 = 2 * tp / denom if denom else 0.0
        if f1 > best_f1 + 1e-12:
            best, best_f1 = float(t), f1
    return best


def _logistic(C, class_weight, random_state, dual: bool) -> LogisticRegression:
    return LogisticRegression(C=C, class_weight=class_weight, solver="liblinear", dual=dual,
                              random_state=random_state, max_iter=1000)


def _fit_label(X, yj, C, class_weight, threshold_cv, random_state):
    """One label's model, F1-best threshold, out-of-fold probabilities and their folds.

    Posts get fold -1 (and a NaN score) when the label has too few positives to split.
    """
    n = len(yj)
    oof, folds = np.full(n, np.nan), np.full(n, -1, dtype=np.int8)
    if yj.min() == yj.max():
        return float(yj[0]), 0.5, oof, folds  # constant label: no model to fit
    # The dual problem solves faster when features outnumber posts (as with n-grams):
    # same optimum, about twice as fast here.
    dual = X.shape[1] > X.shape[0]
    model = _logistic(C, class_weight, random_state, dual).fit(X, yj)
    k = min(threshold_cv, int(yj.sum()), int(n - yj.sum()))
    if k < 2:
        return model, 0.5, oof, folds
    splits = StratifiedKFold(k, shuffle=True, random_state=random_state).split(X, yj)
    for f, (tr, te) in enumerate(splits):
        oof[te] = _logistic(C, class_weight, random_state, dual).fit(
            X[tr], yj[tr]).predict_proba(X[te])[:, 1]
        folds[te] = f
    return model, best_threshold(yj, oof), oof, folds


class SignalClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label classifier: a logistic regression per label, each with a threshold.

    ``fit(X, Y)`` takes an indicator matrix ``Y`` (n_samples, n_labels); a 1-d binary ``y``
    is accepted too and treated as one label. The threshold of each label is the one that
    maximises F1 on out-of-fold probabilities from ``threshold_cv`` folds of the training
    data (0.5 when a label has too few positives to split). Those out-of-fold
    probabilities stay in ``cv_scores_`` (with each post's fold in ``cv_folds_``): they
    give cross-validated figures without another round of fits
    (:func:`cross_validated_decisions`).
    """

    def __init__(self, C=20.0, class_weight="balanced", threshold_cv=CV_FOLDS,
                 random_state=SEED, n_jobs=None):
        self.C = C
        self.class_weight = class_weight
        self.threshold_cv = threshold_cv
        self.random_state = random_state
        self.n_jobs = n_jobs

    def fit(self, X, y):
        X, y = validate_data(self, X, y, accept_sparse="csr", multi_output=True,
                             dtype=(np.float64, np.float32))
        kind = type_of_target(y, raise_unknown=True)
        if kind in ("binary", "multilabel-indicator") and np.ndim(y) == 2:
            Y = np.asarray(y, dtype=int)
            self.classes_ = np.arange(Y.shape[1])
            single = False
        elif kind == "binary" or (kind == "multiclass" and np.unique(y).size <= 2):
            self.classes_ = np.unique(y)
            Y = (np.asarray(y) == self.classes_[-1]).astype(int).reshape(-1, 1)
            single = True
        else:
            raise ValueError("Only binary classification is supported. The type of the target "
                             f"is {kind}. (Or give a multilabel indicator matrix.)")
        self.single_label_ = single
        # Labels are independent: with n_jobs they are fitted in parallel, same results.
        from joblib import Parallel, delayed

        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_label)(X, Y[:, j], self.C, self.class_weight, self.threshold_cv,
                                self.random_state)
            for j in range(Y.shape[1]))
        self.estimators_ = [est for est, *_ in fitted]
        self.thresholds_ = np.array([t for _, t, *_ in fitted])
        self.cv_scores_ = np.column_stack([oof for *_, oof, _ in fitted])
        self.cv_folds_ = np.column_stack([folds for *_, folds in fitted])
        return self

    def predict_proba(self, X):
        """Probability of each label, shape (n_samples, n_labels); for a 1-d fit, (n, 2)."""
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", reset=False,
                          dtype=(np.float64, np.float32))
        cols = [np.full(X.shape[0], est) if isinstance(est, float)
                else est.predict_proba(X)[:, 1] for est in self.estimators_]
        P = np.column_stack(cols) if cols else np.zeros((X.shape[0], 0))
        if self.single_label_:
            return np.column_stack([1 - P[:, 0], P[:, 0]])
        return P

    def decision_function(self, X):
        """Probability minus the label's threshold: positive means the label is predicted."""
        P = self.predict_proba(X)
        if self.single_label_:
            return P[:, 1] - self.thresholds_[0]
        return P - self.thresholds_

    def predict(self, X):
        D = self.decision_function(X)
        if self.single_label_:
            if len(self.classes_) == 1:
                return np.repeat(self.classes_, len(D))
            return self.classes_[(D > 0).astype(int)]
        return (D > 0).astype(int)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        tags.target_tags.multi_output = True
        tags.classifier_tags.multi_class = False
        tags.classifier_tags.multi_label = True
        return tags


@dataclass
class ModelConfig:
    """Every setting that shapes a model; stored in the model card."""

    spacy_model: str | None = None
    negation_window: int = 5
    mark_questions: bool = True
    mark_hypotheticals: bool = True
    char_ngrams: bool = False
    raw_ngrams: bool = True
    spacy_features: bool = True
    raw_asserted: bool = True
    windowed: bool = True
    window_stride: int = 40
    rule_weight: float = 0.5
    min_df: int = 2
    embeddings: str | None = "default"  # None: no embedding features
    embedding_pools: tuple[str, ...] = ("text",)
    embedding_weight: float = 1.0
    C: float = 20.0
    class_weight: str | None = "balanced"
    max_chars: int = MAX_CHARS
    seed: int = SEED
    cv_folds: int = CV_FOLDS
    n_jobs: int | None = None  # processes for the per-signal fits; results do not change

    def as_dict(self) -> dict:
        return asdict(self)


def build_pipeline(config: ModelConfig) -> Pipeline:
    features = make_features(char_ngrams=config.char_ngrams, rule_weight=config.rule_weight,
                             min_df=config.min_df, raw_ngrams=config.raw_ngrams,
                             spacy_features=config.spacy_features,
                             raw_asserted=config.raw_asserted, windowed=config.windowed,
                             window_stride=config.window_stride)
    if config.embeddings:
        from ._embeddings import StaticEmbeddings

        features.transformer_list.append(
            ("embeddings", StaticEmbeddings(config.embeddings, tuple(config.embedding_pools))))
        features.transformer_weights["embeddings"] = config.embedding_weight
    return Pipeline([
        ("spacy", SpacyFeaturizer(
            spacy_model=config.spacy_model, negation_window=config.negation_window,
            mark_questions=config.mark_questions, mark_hypotheticals=config.mark_hypotheticals,
            max_chars=config.max_chars)),
        ("features", features),
        ("clf", SignalClassifier(C=config.C, class_weight=config.class_weight,
                                 threshold_cv=config.cv_folds, random_state=config.seed,
                                 n_jobs=config.n_jobs)),
    ])


def label_metrics(Y_true: np.ndarray, Y_pred: np.ndarray, labels) -> dict:
    """Per-label precision/recall/F1/support plus macro- and micro-F1."""
    from sklearn.metrics import f1_score, precision_recall_fscore_support

    p, r, f, s = precision_recall_fscore_support(Y_true, Y_pred, average=None, zero_division=0)
    return {
        "per_label": {lab: {"precision": round(float(p[i]), 4), "recall": round(float(r[i]), 4),
                            "f1": round(float(f[i]), 4), "support": int(s[i])}
                      for i, lab in enumerate(labels)},
        "macro_f1": round(float(f1_score(Y_true, Y_pred, average="macro", zero_division=0)), 4),
        "micro_f1": round(float(f1_score(Y_true, Y_pred, average="micro", zero_division=0)), 4),
        "n_posts": int(Y_true.shape[0]),
    }


def apply_implications(Y: np.ndarray, labels) -> np.ndarray:
    """Make predictions obey the contract's implications (paid_via_paypal -> payment_received)."""
    from .signals import IMPLIES

    index = {lab: i for i, lab in enumerate(labels)}
    for src, targets in IMPLIES.items():
        if src in index:
            for t in targets:
                if t in index:
                    Y[:, index[t]] |= Y[:, index[src]]
    return Y


@dataclass
class TrainResult:
    pipeline: Pipeline
    labels: tuple[str, ...]
    config: ModelConfig
    cv_metrics: dict | None = None


def cross_validated_decisions(Y: np.ndarray, scores: np.ndarray,
                              folds: np.ndarray) -> np.ndarray:
    """Decisions from out-of-fold ``scores`` (as in ``SignalClassifier.cv_scores_``).

    Each label's held-out fold is cut at the threshold tuned on its other folds, so no
    post's own label picks the threshold it is judged by. ``folds`` (shaped like ``Y``)
    holds each post's fold per label, -1 where a label could not be split: those posts
    get no decision (0).
    """
    decisions = np.zeros_like(Y)
    for j in range(Y.shape[1]):
        for k in np.unique(folds[folds[:, j] >= 0, j]):  # a split label has 2+ folds
            held = folds[:, j] == k
            rest = (folds[:, j] >= 0) & ~held
            t = best_threshold(Y[rest, j], scores[rest, j])
            decisions[held, j] = scores[held, j] >= t
    return decisions


def cross_validate(pipeline: Pipeline, Y: np.ndarray, labels) -> dict:
    """Cross-validated metrics of a fitted pipeline, from its classifier's out-of-fold
    probabilities: no refitting. The feature step was fitted on all posts (it learns
    vocabulary and weights, never labels); scripts/cv_check.py compares the result with
    a fully nested cross-validation."""
    clf = pipeline.named_steps["clf"]
    check_is_fitted(clf)
    decisions = cross_validated_decisions(Y, clf.cv_scores_, clf.cv_folds_)
    return label_metrics(Y, apply_implications(decisions, labels), labels)


def train(texts: list[str], Y: np.ndarray, labels, config: ModelConfig | None = None,
          cv: bool = True) -> TrainResult:
    """Fit the model on all of ``texts``; with ``cv``, also report cross-validated figures.

    The out-of-fold probabilities that tune the thresholds give those figures, so ``cv``
    costs next to nothing: it only decides what is reported.
    """
    config = config or ModelConfig()
    Y = np.asarray(Y, dtype=int)
    if len(texts) != Y.shape[0]:
        raise ValueError("texts and labels differ in length")
    pipeline = build_pipeline(config).fit(texts, Y)
    cv_metrics = cross_validate(pipeline, Y, labels) if cv else None
    return TrainResult(pipeline, tuple(labels), config, cv_metrics)
