"""Merge the hand-written batches into the labeled corpus and fix its test split.

usage: python scripts/build_corpus.py BATCH.jsonl... [--append]

Writes data/labeled/train.csv and data/labeled/test.csv. The split (about 20% test) is
stratified per label with iterative stratification (Sechidis et al., 2011) and a fixed
seed, so the same batches always give the same split. With --append, posts already in the
two files keep their side (the test split stays fixed) and only new posts are split and
added. Later label fixes are edits to the two CSVs (scripts/apply_adjudication.py).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from legitcheck.signals import SIGNAL_NAMES  # noqa: E402

COLUMNS = ["id", "text", "labels", "register", "platform", "hard"]
TEST_SHARE = 0.2
SEED = 13


def iterative_split(rows, share=TEST_SHARE, seed=SEED) -> set[str]:
    """Ids of the test posts: label by label, rarest first, each post goes to the side that
    still wants that label most."""
    rng = random.Random(seed)
    rows = rows[:]
    rng.shuffle(rows)
    want = {"test": {}, "train": {}}
    for lab in SIGNAL_NAMES:
        n = sum(lab in r["labels"] for r in rows)
        want["test"][lab] = n * share
        want["train"][lab] = n * (1 - share)
    left = {"test": len(rows) * share, "train": len(rows) * (1 - share)}
    test, assigned = set(), set()
    while True:
        pending = [r for r in rows if r["id"] not in assigned and r["labels"]]
        if not pending:
            break
        counts = {lab: sum(lab in r["labels"] for r in pending) for lab in SIGNAL_NAMES}
        lab = min((lab for lab in SIGNAL_NAMES if counts[lab]), key=lambda x: counts[x])
        for r in [r for r in pending if lab in r["labels"]]:
            side = max(("test", "train"), key=lambda s: (want[s][lab], left[s]))
            if side == "test":
                test.add(r["id"])
            assigned.add(r["id"])
            left[side] -= 1
            for x in r["labels"]:
                want[side][x] -= 1
    for r in rows:
        if r["id"] not in assigned:
            side = "test" if left["test"] > left["train"] * share / (1 - share) else "train"
            if side == "test":
                test.add(r["id"])
            left[side] -= 1
    return test


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("batches", nargs="+")
    ap.add_argument("--out", default="data/labeled")
    ap.add_argument("--append", action="store_true")
    args = ap.parse_args()
    out = Path(args.out)
    rows = []
    for path in args.batches:
        with open(path, encoding="utf-8") as fh:
            rows += [json.loads(line) for line in fh if line.strip()]
    existing = {"train": [], "test": []}
    if args.append:
        for name in existing:
            with open(out / f"{name}.csv", encoding="utf-8", newline="") as fh:
                existing[name] = list(csv.DictReader(fh))
        known = {r["id"] for side in existing.values() for r in side}
        rows = [r for r in rows if r["id"] not in known]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    test = iterative_split(rows)
    sides = (("train", lambda r: r["id"] not in test), ("test", lambda r: r["id"] in test))
    for name, keep in sides:
        with open(out / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(existing[name])
            for r in rows:
                if keep(r):
                    labels = [lab for lab in SIGNAL_NAMES if lab in r["labels"]]
                    w.writerow({"id": r["id"], "text": r["text"], "labels": ";".join(labels),
                                "register": r["register"], "platform": r["platform"],
                                "hard": ";".join(r["hard"])})
    print(f"{len(rows)} new posts: {len(rows) - len(test)} train, {len(test)} test")
    return 0


if __name__ == "__main__":
    sys.exit(main())
