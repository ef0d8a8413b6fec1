"""Throughput and peak memory of `legitcheck classify`, with the baseline in the same run.

usage: python scripts/bench.py [--posts 100000] [--jobs 1 2] [--memory-rows 1000000]

Makes a CSV of --posts posts resampled (seeded) from data/labeled/, then times
`legitcheck classify` on it in a fresh process per run and reads that process's peak
RSS (os.wait4). The baseline (scripts/baseline.py: TF-IDF + logistic regression on the
raw text) classifies the same file in the same chunked way. Then it times each stage of
the pipeline alone on 20,000 posts, to show where the time goes. --memory-rows also runs
classify on a file of that many rows to show that memory stays flat as the input grows.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def corpus_texts() -> list[str]:
    texts = []
    for name in ("train.csv", "test.csv"):
        with open(ROOT / "data" / "labeled" / name, encoding="utf-8", newline="") as fh:
            texts += [r["text"] for r in csv.DictReader(fh)]
    return texts


def make_input(path: Path, n: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    texts = corpus_texts()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "text"])
        for i in range(n):
            w.writerow([i, rng.choice(texts)])


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command run in a child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


BASELINE_RUN = """
import sys, pandas as pd, joblib
sys.path.insert(0, {scripts!r})
from legitcheck._model import apply_implications
pipe, labels = joblib.load({model!r})
first = True
with open({out!r}, "w", newline="") as fh:
    for chunk in pd.read_csv({inp!r}, dtype=str, keep_default_na=False, chunksize=5000):
        d = apply_implications(pipe.predict(chunk["text"].tolist()), labels)
        chunk["signals"] = [";".join(l for l, x in zip(labels, row) if x) for row in d]
        for j, l in enumerate(labels):
            chunk[l] = d[:, j]
        chunk.to_csv(fh, index=False, header=first)
        first = False
"""


def stage_times(n: int = 20_000) -> list[tuple[str, float]]:
    import spacy

    from legitcheck import load_predictor

    rng = random.Random(1)
    texts = [rng.choice(corpus_texts()) for _ in range(n)]
    p = load_predictor()
    steps = p.pipeline.named_steps
    out = []
    nlp = spacy.blank("en")
    t = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=256):
        pass
    out.append(("spaCy tokenizer alone", time.perf_counter() - t))
    t = time.perf_counter()
    analyses = steps["spacy"].transform(texts)
    out.append(("spaCy step (tokenizer + legitcheck components)", time.perf_counter() - t))
    for name, part in steps["features"].transformer_list:
        t = time.perf_counter()
        part.transform(analyses)
        out.append((f"features: {name}", time.perf_counter() - t))
    X = steps["features"].transform(analyses)
    t = time.perf_counter()
    steps["clf"].predict_proba(X)
    out.append(("classifier (15 signals)", time.perf_counter() - t))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=100_000)
    ap.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--memory-rows", type=int, default=0)
    args = ap.parse_args()
    exe = [sys.executable, "-m", "legitcheck"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        inp = tmp / "posts.csv"
        make_input(inp, args.posts)
        words = sum(len(t.split()) for t in corpus_texts()) / len(corpus_texts())
        print(f"{args.posts} posts resampled from the corpus (about {words:.0f} words each)")
        for jobs in args.jobs:
            secs, rss = timed(exe + ["classify", str(inp), "-o", str(tmp / "out.csv"), "-q",
                                     "--jobs", str(jobs)])
            print(f"legitcheck classify --jobs {jobs}: {args.posts / secs:,.0f} posts/s "
                  f"({secs:.1f} s, model loading included), peak RSS {rss:,.0f} MiB")
        import joblib
        from baseline import train_baseline

        pipe, labels = train_baseline()
        joblib.dump((pipe, labels), tmp / "baseline.joblib")
        code = BASELINE_RUN.format(scripts=str(ROOT), model=str(tmp / "baseline.joblib"),
                                   out=str(tmp / "base.csv"), inp=str(inp))
        secs, rss = timed([sys.executable, "-c", code])
        print(f"baseline (TF-IDF + LR on raw text), 1 process: {args.posts / secs:,.0f} posts/s "
              f"({secs:.1f} s), peak RSS {rss:,.0f} MiB")
        if args.memory_rows:
            big = tmp / "big.csv"
            make_input(big, args.memory_rows, seed=2)
            secs, rss = timed(exe + ["classify", str(big), "-o", str(tmp / "big.out.csv"), "-q"])
            print(f"{args.memory_rows:,} rows, 1 process: {args.memory_rows / secs:,.0f} posts/s, "
                  f"peak RSS {rss:,.0f} MiB")
    print("\nwhere the time goes (20,000 posts, one process, in memory):")
    for name, secs in stage_times():
        print(f"  {name:48s} {20_000 / secs:>9,.0f} posts/s  {secs * 1e6 / 20_000:7.0f} us/post")
    return 0


if __name__ == "__main__":
    sys.exit(main())
