"""The baseline the README compares against: TF-IDF + logistic regression on the raw text.

usage: python scripts/baseline.py

Same training split, same per-signal classifier with tuned thresholds (SignalClassifier),
but no spaCy step (no lemmas, scopes or rule features) and no embeddings: scikit-learn's
TfidfVectorizer on the raw text, word 1-2 grams. Prints per-signal F1 on the fixed test
split for the baseline and for the shipped default model (models/default.joblib).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402

from legitcheck._labels import read_labeled  # noqa: E402
from legitcheck._model import SignalClassifier, apply_implications, label_metrics  # noqa: E402
from legitcheck._persistence import card_path, default_model_path  # noqa: E402

TRAIN = ROOT / "data" / "labeled" / "train.csv"
TEST = ROOT / "data" / "labeled" / "test.csv"


def baseline_pipeline() -> Pipeline:
    return Pipeline([
        ("tfidf", TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                  dtype=np.float32)),
        ("clf", SignalClassifier()),
    ])


def train_baseline():
    train = read_labeled([TRAIN])
    return baseline_pipeline().fit(train.texts, train.Y), train.labels


def evaluate_baseline(pipeline, labels) -> dict:
    test = read_labeled([TEST])
    return label_metrics(test.Y, apply_implications(pipeline.predict(test.texts), labels),
                         labels)


def main() -> int:
    pipeline, labels = train_baseline()
    base = evaluate_baseline(pipeline, labels)
    card = json.loads(card_path(default_model_path()).read_text(encoding="utf-8"))
    ours = card["metrics"]["test"]
    print(f"{'signal':28s} {'baseline':>9s} {'legitcheck':>11s}")
    for lab in labels:
        print(f"{lab:28s} {base['per_label'][lab]['f1']:9.3f} {ours['per_label'][lab]['f1']:11.3f}")
    print(f"{'macro-F1':28s} {base['macro_f1']:9.3f} {ours['macro_f1']:11.3f}")
    print(f"{'micro-F1':28s} {base['micro_f1']:9.3f} {ours['micro_f1']:11.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
