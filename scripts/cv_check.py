"""Are the cross-validated figures that `legitcheck train` prints honest? Compare them
with a fully nested cross-validation.

usage: python scripts/cv_check.py

`train` reuses the out-of-fold probabilities that tune each signal's threshold: every
held-out fold is cut at the threshold tuned on the other folds. That costs no extra fit,
but the feature step (vocabulary, idf weights; never labels) was fitted on all posts.
The nested alternative refits the feature step and the classifier, with its own inner
threshold search, on each outer fold's training posts only: about five times the work.
Both run on the training split of data/labeled/ with the shipped configuration; prints
macro-F1, micro-F1 and the time each took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legitcheck import _model as model  # noqa: E402
from legitcheck._labels import read_labeled  # noqa: E402


def rarest_label(Y: np.ndarray) -> np.ndarray:
    """One stratum per post: its rarest label (or 'none'), to spread rare labels evenly."""
    strata = np.full(Y.shape[0], Y.shape[1])
    for j in np.argsort(Y.sum(axis=0), kind="stable")[::-1]:
        strata[Y[:, j] == 1] = j
    return strata


def nested_decisions(texts, Y, config) -> np.ndarray:
    pipeline = model.build_pipeline(config)
    analyses = pipeline.named_steps["spacy"].fit(texts).transform(texts)  # learns nothing
    rest = Pipeline(pipeline.steps[1:])
    decisions = np.zeros_like(Y)
    outer = StratifiedKFold(config.cv_folds, shuffle=True, random_state=config.seed)
    for tr, te in outer.split(np.zeros(len(texts)), rarest_label(Y)):
        fold_model = clone(rest).fit([analyses[i] for i in tr], Y[tr])
        decisions[te] = fold_model.predict([analyses[i] for i in te])
    return decisions


def main() -> int:
    data = read_labeled([ROOT / "data" / "labeled" / "train.csv"])
    config = model.ModelConfig()
    start = time.perf_counter()
    reported = model.train(data.texts, data.Y, data.labels, config, cv=True).cv_metrics
    train_s = time.perf_counter() - start
    start = time.perf_counter()
    nested = model.label_metrics(
        data.Y, model.apply_implications(nested_decisions(data.texts, data.Y, config), data.labels),
        data.labels)
    nested_s = time.perf_counter() - start
    print(f"{'signal':28s} {'train':>7s} {'nested':>7s}")
    for lab in data.labels:
        print(f"{lab:28s} {reported['per_label'][lab]['f1']:7.3f} "
              f"{nested['per_label'][lab]['f1']:7.3f}")
    for key in ("macro_f1", "micro_f1"):
        print(f"{key:28s} {reported[key]:7.3f} {nested[key]:7.3f}")
    print(f"{'seconds':28s} {train_s:7.0f} {nested_s:7.0f}"
          "   (train: the whole fit, figures included; nested: the figures alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
