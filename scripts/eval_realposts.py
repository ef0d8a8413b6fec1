"""Evaluate a model on real public posts that nobody on the team wrote.

usage: python scripts/eval_realposts.py [--model models/default.joblib]

The labels (data/eval/realposts_labels.csv) were assigned by hand, against SIGNALS.md, to
175 of the real posts in ../shared/realposts/realposts.csv; the texts stay in shared/
(their sources' licences are not ours to redistribute) and are joined by id here. The
posts are never used for training or tuning. Prints per-signal figures and macro-F1 over
the signals that have at least 5 positive posts in the sample (with so few positives, the
others say little).
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REALPOSTS = ROOT.parent / "shared" / "realposts" / "realposts.csv"
LABELS = ROOT / "data" / "eval" / "realposts_labels.csv"
MIN_SUPPORT = 5


def labeled_realposts(out_dir: Path) -> Path:
    with open(REALPOSTS, encoding="utf-8", newline="") as fh:
        texts = {r["id"]: r["text"] for r in csv.DictReader(fh)}
    out = out_dir / "realposts_labeled.csv"
    with open(LABELS, encoding="utf-8", newline="") as fh, \
            open(out, "w", encoding="utf-8", newline="") as oh:
        w = csv.writer(oh)
        w.writerow(["id", "text", "labels"])
        for r in csv.DictReader(fh):
            w.writerow([r["id"], texts[r["id"]], r["labels"]])
    return out


def evaluate(model=None) -> dict:
    from legitcheck import load_predictor
    from legitcheck._training import evaluate_predictor

    with tempfile.TemporaryDirectory() as tmp:
        path = labeled_realposts(Path(tmp))
        m = evaluate_predictor(load_predictor(model), [path])
    kept = {k: v for k, v in m["per_label"].items() if v["support"] >= MIN_SUPPORT}
    m["macro_f1_supported"] = round(sum(v["f1"] for v in kept.values()) / len(kept), 4)
    m["supported_labels"] = sorted(kept)
    return m


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=None)
    args = ap.parse_args()
    if not REALPOSTS.exists():
        print(f"{REALPOSTS} is not here; nothing to evaluate")
        return 1
    m = evaluate(args.model)
    for lab, v in m["per_label"].items():
        print(f"{lab:28s} P {v['precision']:.3f}  R {v['recall']:.3f}  F1 {v['f1']:.3f}  "
              f"n={v['support']}")
    print(f"macro-F1 over signals with >= {MIN_SUPPORT} positives "
          f"({len(m['supported_labels'])}): {m['macro_f1_supported']:.3f}; "
          f"micro-F1 {m['micro_f1']:.3f}; posts {m['n_posts']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
