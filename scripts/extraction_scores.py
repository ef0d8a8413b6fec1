"""Scores of the rule-based field extraction on the hand-checked cases.

usage: python scripts/extraction_scores.py

Reads tests/data/extraction_cases.csv (226 posts with expected platforms, pay rates and
payment methods, kept out of the training corpus) and prints platform F1, the share of
posts whose pay rates match exactly, and payment-method F1.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legitcheck._extract import find_pay_rates, find_payment_methods  # noqa: E402
from legitcheck.platforms import platforms_in  # noqa: E402


def f1(pairs) -> float:
    tp = fp = fn = 0
    for expected, got in pairs:
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)
    return 2 * tp / (2 * tp + fp + fn)


def main() -> int:
    with open(ROOT / "tests" / "data" / "extraction_cases.csv", encoding="utf-8",
              newline="") as fh:
        rows = list(csv.DictReader(fh))

    def cell(r, col):
        return {p.strip() for p in r[col].split(";") if p.strip()}

    platforms = f1((cell(r, "platforms"), set(platforms_in(r["text"]))) for r in rows)
    methods = f1((cell(r, "payment_methods"), set(find_payment_methods(r["text"])))
                 for r in rows)
    rates = sum("; ".join(map(str, find_pay_rates(r["text"]))) == r["pay_rates"].strip()
                for r in rows) / len(rows)
    print(f"{len(rows)} posts: platform F1 {platforms:.3f}, pay rates exact match "
          f"{rates:.3f}, payment-method F1 {methods:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
