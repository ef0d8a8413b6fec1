"""Apply settled label disagreements (data/annotation/adjudication.csv) to the corpus files.

usage: python scripts/apply_adjudication.py

Each row says, for one post and one label, whether the label is present after
adjudication (decision add/keep: present; remove/reject: absent). The split is untouched.
Idempotent: running it twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from legitcheck.signals import SIGNAL_NAMES  # noqa: E402

LABELED = ROOT / "data" / "labeled"


def main() -> int:
    decisions_path = ROOT / "data" / "annotation" / "adjudication.csv"
    with open(decisions_path, encoding="utf-8", newline="") as fh:
        decisions = list(csv.DictReader(fh))
    present = {(d["id"], d["label"]): d["decision"] in ("add", "keep") for d in decisions}
    changed = 0
    for name in ("train.csv", "test.csv"):
        path = LABELED / name
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, list(reader)
        for row in rows:
            labels = set(filter(None, row["labels"].split(";")))
            for (pid, lab), on in present.items():
                if pid == row["id"]:
                    labels = labels | {lab} if on else labels - {lab}
            new = ";".join(lab for lab in SIGNAL_NAMES if lab in labels)
            changed += new != row["labels"]
            row["labels"] = new
        with open(path, "w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
    print(f"{len(decisions)} decisions, {changed} posts changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
