"""The scikit-learn model: one linear classifier per signal with its own decision threshold.

``build_pipeline`` assembles spaCy step -> features -> :class:`SignalClassifier`;
``train`` fits it and measures it by cross-validation on the training data only.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import check_is_fitted, validate_data

from ._defaults import CV_FOLDS, MAX_CHARS, SEED
from ._features import SpacyFeaturizer, make_features

log = logging.getLogger(__name__)

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
    """One label's model and F1-best threshold (from out-of-fold probabilities)."""
    if yj.min() == yj.max():
        return float(yj[0]), 0.5  # constant label: no model to fit
    # The dual problem solves faster when features outnumber posts (as with n-grams):
    # same optimum, about twice as fast here.
    dual = X.shape[1] > X.shape[0]
    model = _logistic(C, class_weight, random_state, dual).fit(X, yj)
    folds = min(threshold_cv, int(yj.sum()), int(len(yj) - yj.sum()))
    if folds < 2:
        return model, 0.5
    oof = np.zeros(len(yj))
    for tr, te in StratifiedKFold(folds, shuffle=True, random_state=random_state).split(X, yj):
        oof[te] = _logistic(C, class_weight, random_state, dual).fit(
            X[tr], yj[tr]).predict_proba(X[te])[:, 1]
    return model, best_threshold(yj, oof)


class SignalClassifier(ClassifierMixin, BaseEstimator):
    """Multi-label classifier: a logistic regression per label, each with a threshold.

    ``fit(X, Y)`` takes an indicator matrix ``Y`` (n_samples, n_labels); a 1-d binary ``y``
    is accepted too and treated as one label. The threshold of each label is the one that
    maximises F1 on out-of-fold probabilities from ``threshold_cv`` folds of the training
    data (0.5 when a label has too few positives to split).
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
        self.estimators_ = [est for est, _ in fitted]
        self.thresholds_ = np.array([t for _, t in fitted])
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


def out_of_fold(texts: list[str], Y: np.ndarray, config: ModelConfig):
    """Out-of-fold scores and decisions of the whole model on its training data.

    The spaCy step learns nothing, so it runs once; the features and classifier are refit
    on each fold. Returns (scores, decisions), both shaped like ``Y``.
    """
    pipeline = build_pipeline(config)
    analyses = pipeline.named_steps["spacy"].fit(texts).transform(texts)
    rest = Pipeline(pipeline.steps[1:])
    scores = np.zeros(Y.shape, dtype=float)
    decisions = np.zeros_like(Y)
    strata = _strata(Y)
    counts = np.bincount(strata)
    folds = min(config.cv_folds, len(texts))
    splitter = (StratifiedKFold(folds, shuffle=True, random_state=config.seed)
                if counts[counts > 0].min() >= folds
                else KFold(folds, shuffle=True, random_state=config.seed))
    for k, (tr, te) in enumerate(splitter.split(np.zeros(len(texts)), strata)):
        log.info("cross-validation fold %d/%d", k + 1, folds)
        model = clone(rest).fit([analyses[i] for i in tr], Y[tr])
        held_out = [analyses[i] for i in te]
        scores[te] = model.predict_proba(held_out)
        decisions[te] = model.predict(held_out)
    return scores, decisions


def cross_validate(texts: list[str], Y: np.ndarray, labels, config: ModelConfig) -> dict:
    """Out-of-fold metrics of the whole model on the training data."""
    _, decisions = out_of_fold(texts, Y, config)
    return label_metrics(Y, apply_implications(decisions, labels), labels)


def _strata(Y: np.ndarray) -> np.ndarray:
    """One stratum per post: its rarest label (or 'none'), so folds keep rare labels spread."""
    counts = Y.sum(axis=0)
    order = np.argsort(counts, kind="stable")
    strata = np.full(Y.shape[0], Y.shape[1])
    for j in order[::-1]:
        strata[Y[:, j] == 1] = j
    return strata


def train(texts: list[str], Y: np.ndarray, labels, config: ModelConfig | None = None,
          cv: bool = True) -> TrainResult:
    """Fit the model on all of ``texts``; with ``cv``, also measure it by cross-validation."""
    config = config or ModelConfig()
    Y = np.asarray(Y, dtype=int)
    if len(texts) != Y.shape[0]:
        raise ValueError("texts and labels differ in length")
    cv_metrics = cross_validate(texts, Y, labels, config) if cv else None
    pipeline = build_pipeline(config).fit(texts, Y)
    return TrainResult(pipeline, tuple(labels), config, cv_metrics)
