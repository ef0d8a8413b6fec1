"""The report picture in the README: docs/heatmap.png.

usage: python scripts/report_figure.py

Runs `legitcheck report` on the posts of data/labeled/test.csv, classified on the fly
by the shipped model (their hand labels are ignored), keeping platforms with at least 10
posts, and copies the heat map to docs/heatmap.png.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legitcheck._report import write_report  # noqa: E402


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        frame = write_report(ROOT / "data" / "labeled" / "test.csv", tmp, min_posts=10)
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copy(Path(tmp) / "heatmap.png", ROOT / "docs" / "heatmap.png")
    print(frame[["group", "posts", "payment_received_share", "account_deactivated_share",
                 "upfront_payment_requested_share"]].to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
