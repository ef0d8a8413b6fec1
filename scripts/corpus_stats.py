"""The datasheet's tables: label counts per split, lengths, hard cases, registers, platforms.

usage: python scripts/corpus_stats.py

Reads data/labeled/train.csv and test.csv (the agreement figures come from
scripts/agreement.py, the overlap checks from ../shared/tools/corpus_check.py).
"""

from __future__ import annotations

import csv
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from legitcheck.signals import SIGNAL_NAMES  # noqa: E402

CURRENCY = re.compile(r"[£€₹₱₦]")


def main() -> int:
    split = {}
    for name in ("train", "test"):
        with open(ROOT / "data" / "labeled" / f"{name}.csv", encoding="utf-8", newline="") as fh:
            split[name] = list(csv.DictReader(fh))
    posts = split["train"] + split["test"]
    print(f"posts: {len(posts)} (train {len(split['train'])}, test {len(split['test'])})\n")
    print("| signal | train | test | all |\n|---|---|---|---|")
    for lab in [*SIGNAL_NAMES, ""]:
        counts = [sum((lab in r["labels"].split(";")) if lab else not r["labels"]
                      for r in split[s]) for s in ("train", "test")]
        total = sum(counts)
        name = f"`{lab}`" if lab else "no signal"
        share = f" ({total / len(posts):.0%})" if not lab else ""
        print(f"| {name} | {counts[0]:,} | {counts[1]:,} | {total:,}{share} |")
    words = sorted(len(r["text"].split()) for r in posts)
    print(f"\nwords per post: min {words[0]}, median {words[len(words) // 2]}, max {words[-1]}; "
          f"{sum(w <= 20 for w in words)} posts of 20 words or fewer, "
          f"{sum(w >= 120 for w in words)} of 120 or more")
    hard = Counter(tag for r in posts for tag in r["hard"].split(";") if tag)
    n_hard = sum(bool(r["hard"]) for r in posts)
    print(f"hard cases: {n_hard} posts ({n_hard / len(posts):.0%}): "
          + ", ".join(f"{k} {v}" for k, v in hard.most_common()))
    print("registers: " + ", ".join(f"{k} {v}" for k, v in
                                    Counter(r["register"] for r in posts).most_common()))
    print("platforms: " + ", ".join(f"{k} {v}" for k, v in
                                    Counter(r["platform"] for r in posts).most_common()))
    print(f"posts with £, €, ₹, ₱ or ₦ amounts: "
          f"{sum(bool(CURRENCY.search(r['text'])) for r in posts)}")
    batches = Counter(r["id"].split("-")[0] for r in posts)
    print("posts per batch: " + ", ".join(f"{k} {v}" for k, v in
                                          sorted(batches.items(), key=lambda kv: int(kv[0][1:]))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
