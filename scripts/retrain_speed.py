"""How long `legitcheck train` takes on 5,000 posts, cross-validated figures included.

usage: python scripts/retrain_speed.py [--posts 5000] [--jobs 1 2]

The corpus has fewer than 5,000 posts, so the 5,000 training posts are made for timing
only: each joins two corpus posts (text and labels), which keeps them distinct. Times the same call
`legitcheck train` makes, in this process, starting cold (the first run loads spaCy and
the embeddings, as a fresh `legitcheck train` does).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legitcheck._model import ModelConfig  # noqa: E402
from legitcheck._training import train_model_file  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=5000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    rows = []
    for name in ("train.csv", "test.csv"):
        with open(ROOT / "data" / "labeled" / name, encoding="utf-8", newline="") as fh:
            rows += list(csv.DictReader(fh))
    rng = random.Random(0)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.csv"
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["text", "labels"])
            for _ in range(args.posts):
                a, b = rng.sample(rows, 2)
                labels = sorted(set(filter(None, (a["labels"] + ";" + b["labels"]).split(";"))))
                w.writerow([a["text"] + "\n\n" + b["text"], ";".join(labels)])
        for jobs in args.jobs:
            start = time.perf_counter()
            s = train_model_file([path], Path(tmp) / "m.joblib", force=True,
                                 config=ModelConfig(n_jobs=jobs))
            assert "cross_validation" in s.card["metrics"]
            print(f"train --jobs {jobs} on {s.n_posts} posts (cross-validated figures "
                  f"included): {time.perf_counter() - start:.0f} s", flush=True)
    # ru_maxrss is in KiB on Linux; the largest process (children: --jobs workers).
    peak = max(resource.getrusage(who).ru_maxrss
               for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    print(f"peak RSS of the largest process: {peak / 1024:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
