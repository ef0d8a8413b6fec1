"""Which parts of the model earn their place: an ablation and a transfer check.

usage: python scripts/ablation.py

1. Ablation on the fixed test split (training on the training split): per-signal F1 and
   macro-F1 for
     n-grams      word 1-2 grams of the raw text only (the baseline's features)
     + spaCy      + scope-marked lemma n-grams and rule features from the spaCy step
     + emb        n-grams + static embeddings (no spaCy features)
     all          everything (the shipped configuration)
   and micro-F1 on the test posts tagged as negation, question or hypothetical cases.
2. Transfer checks, mimicking posts written differently from the training data:
     reddit -> rest   train on the Reddit-style training posts only, test on the test
                      posts of every other register (reviews, comments, forums, chats...)
     25% -> test      train on a random 25% of the training split, test on the test split
All variants share the classifier and its threshold tuning; only the features differ.
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from legitcheck._labels import read_labeled  # noqa: E402
from legitcheck._model import (  # noqa: E402
    ModelConfig,
    apply_implications,
    build_pipeline,
    label_metrics,
)

LABELED = ROOT / "data" / "labeled"
VARIANTS = {
    "n-grams": ModelConfig(spacy_features=False, embeddings=None),
    "+ spaCy": ModelConfig(embeddings=None),
    "+ emb": ModelConfig(spacy_features=False),
    "all": ModelConfig(),
}
HARD_TAGS = ("negation", "question", "hypothetical")


def meta(name: str) -> list[dict]:
    with open(LABELED / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def fit_predict(config, texts, Y, labels, test_texts):
    pipe = build_pipeline(config).fit(texts, Y)
    return apply_implications(pipe.predict(test_texts), labels)


def subset(data, keep):
    idx = [i for i, k in enumerate(keep) if k]
    return [data.texts[i] for i in idx], data.Y[idx]


def main() -> int:
    train, test = read_labeled([LABELED / "train.csv"]), read_labeled([LABELED / "test.csv"])
    labels = train.labels
    test_meta = meta("test.csv")
    results = {}
    for name, config in VARIANTS.items():
        pred = fit_predict(config, train.texts, train.Y, labels, test.texts)
        m = label_metrics(test.Y, pred, labels)
        for tag in HARD_TAGS:
            keep = np.array([tag in r["hard"].split(";") for r in test_meta])
            m[tag] = label_metrics(test.Y[keep], pred[keep], labels)["micro_f1"]
            m[f"{tag}_n"] = int(keep.sum())
        results[name] = m
    print("1. ablation on the fixed test split (F1)")
    print(f"{'signal':28s}" + "".join(f"{n:>10s}" for n in VARIANTS))
    for lab in labels:
        print(f"{lab:28s}" + "".join(f"{results[n]['per_label'][lab]['f1']:10.3f}"
                                     for n in VARIANTS))
    for key in ("macro_f1", "micro_f1"):
        print(f"{key:28s}" + "".join(f"{results[n][key]:10.3f}" for n in VARIANTS))
    for tag in HARD_TAGS:
        label = f"micro-F1, {tag} posts (n={results['all'][tag + '_n']})"
        print(f"{label:28s}" + "".join(f"{results[n][tag]:10.3f}" for n in VARIANTS))

    print("\n2. transfer checks (macro-F1)")
    train_meta = meta("train.csv")
    reddit = [r["register"] == "reddit" for r in train_meta]
    other = [r["register"] != "reddit" for r in test_meta]
    rng = random.Random(13)
    quarter = [rng.random() < 0.25 for _ in train_meta]
    checks = {
        "reddit -> other registers": (subset(train, reddit), subset(test, other)),
        "random 25% -> test split": (subset(train, quarter), (test.texts, test.Y)),
    }
    print(f"{'check':34s}" + "".join(f"{n:>10s}" for n in VARIANTS))
    for check, ((tr_x, tr_y), (te_x, te_y)) in checks.items():
        row = []
        for config in VARIANTS.values():
            pred = fit_predict(config, tr_x, tr_y, labels, te_x)
            row.append(label_metrics(te_y, pred, labels)["macro_f1"])
        print(f"{check + f' ({len(tr_x)}->{len(te_x)})':34s}" + "".join(f"{v:10.3f}" for v in row))
    return 0


if __name__ == "__main__":
    sys.exit(main())
