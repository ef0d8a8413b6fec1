"""Does labeling `legitcheck suggest`'s picks help more than labeling random posts?

usage: python scripts/suggest_vs_random.py [--seeds 10] [--base 300] [--add 200]

For each seed: train on a random --base posts of the training split; from the rest of
the split (the pool, whose labels stand in for a labeler's), add --add posts picked by
`suggest` or --add random ones; retrain; measure macro-F1 on the fixed test split.
Prints each seed, the mean and standard deviation of both, and the paired difference.
The README quotes seeds 1-10; how `suggest` scores uncertainty (the mean of a post's
three most uncertain signals, not the single most uncertain) was chosen on seeds 11-14,
so the quoted seeds did not pick it.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from legitcheck._labels import read_labeled  # noqa: E402
from legitcheck._model import ModelConfig, apply_implications, label_metrics, train  # noqa: E402
from legitcheck._predictor import Predictor  # noqa: E402
from legitcheck._suggest import suggest_indices  # noqa: E402


def macro_f1(pipeline, labels, test) -> float:
    pred = apply_implications(pipeline.predict(test.texts), labels)
    return label_metrics(test.Y, pred, labels)["macro_f1"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--base", type=int, default=300)
    ap.add_argument("--add", type=int, default=200)
    args = ap.parse_args()
    data = read_labeled([ROOT / "data" / "labeled" / "train.csv"])
    test = read_labeled([ROOT / "data" / "labeled" / "test.csv"])
    labels = data.labels
    results = {"suggested": [], "random": [], "base": []}
    for seed in range(1, args.seeds + 1):
        rng = random.Random(seed)
        order = list(range(len(data.texts)))
        rng.shuffle(order)
        base, pool = order[: args.base], order[args.base:]

        def fit(idx, seed=seed):
            return train([data.texts[i] for i in idx], data.Y[idx], labels,
                         ModelConfig(seed=seed), cv=False).pipeline

        base_model = fit(base)
        picked, *_ = suggest_indices(Predictor(base_model, labels),
                                     [data.texts[i] for i in pool], args.add)
        suggested = [pool[i] for i in picked]
        randomly = rng.sample(pool, args.add)
        row = {"base": macro_f1(base_model, labels, test),
               "suggested": macro_f1(fit(base + suggested), labels, test),
               "random": macro_f1(fit(base + randomly), labels, test)}
        for k, v in row.items():
            results[k].append(v)
        print(f"seed {seed}: base {row['base']:.3f}  + {args.add} suggested "
              f"{row['suggested']:.3f}  + {args.add} random {row['random']:.3f}", flush=True)
    for k in ("base", "suggested", "random"):
        v = results[k]
        sd = statistics.stdev(v) if len(v) > 1 else 0.0
        print(f"{k:10s} macro-F1 mean {np.mean(v):.3f}  sd {sd:.3f}")
    diff = np.subtract(results["suggested"], results["random"])
    sd = statistics.stdev(diff) if len(diff) > 1 else 0.0
    print(f"suggested - random, per seed: mean {diff.mean():+.3f}  sd {sd:.3f}  "
          f"(suggested ahead on {int((diff > 0).sum())} of {len(diff)} seeds)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
