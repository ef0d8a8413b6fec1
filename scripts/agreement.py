"""Inter-annotator agreement on the blind re-labeled sample (the datasheet quotes this).

usage: python scripts/agreement.py

Compares the first annotator's labels (data/annotation/first_annotator.jsonl) with a
second annotator's blind labels (data/annotation/relabel_*.jsonl) on the same posts:
share of identical label sets, Cohen's kappa per signal and its mean, and the number
of disagreeing (post, signal) decisions, which data/annotation/adjudication.csv settles.
"""

from __future__ import annotations

import glob
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from legitcheck.signals import SIGNAL_NAMES  # noqa: E402


def load(pattern: str) -> dict[str, set[str]]:
    out = {}
    for path in sorted(glob.glob(str(ROOT / "data" / "annotation" / pattern))):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    r = json.loads(line)
                    out[r["id"]] = set(r["labels"])
    return out


def kappa(a: list[bool], b: list[bool]) -> float:
    n = len(a)
    po = sum(x == y for x, y in zip(a, b)) / n
    pa, pb = sum(a) / n, sum(b) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def main() -> int:
    first, second = load("first_annotator.jsonl"), load("relabel_*.jsonl")
    ids = sorted(second)
    n = len(ids)
    same = sum(first[i] == second[i] for i in ids)
    print(f"posts re-labeled blind: {n}; identical label sets: {same} ({same / n:.1%})")
    ks, disagreements = [], 0
    for lab in SIGNAL_NAMES:
        a = [lab in first[i] for i in ids]
        b = [lab in second[i] for i in ids]
        k = kappa(a, b)
        ks.append(k)
        disagreements += sum(x != y for x, y in zip(a, b))
        print(f"  {lab:28s} first {sum(a):3d}  second {sum(b):3d}  kappa {k:.3f}")
    print(f"mean Cohen's kappa over signals: {sum(ks) / len(ks):.3f}; "
          f"disagreeing decisions: {disagreements} of {n * len(SIGNAL_NAMES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
