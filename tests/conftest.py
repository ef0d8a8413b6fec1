"""Shared fixtures: small tables, a small trained model, the shipped model."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABELED = ROOT / "data" / "labeled"
SHARED = ROOT.parent / "shared"


def write_csv(path: Path, rows: list[dict], fieldnames=None) -> Path:
    fieldnames = fieldnames or list(rows[0])
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames, lineterminator="\n", extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture
def posts_csv(tmp_path) -> Path:
    """Five posts with an id column, one empty text, in a known order."""
    return write_csv(tmp_path / "posts.csv", [
        {"id": "a1", "text": "Passed the DA starter assessment in March. Dashboard has been "
                             "empty ever since. Emailed support twice, nothing."},
        {"id": "a2", "text": "Does anyone know if Remotasks still pays through PayPal?"},
        {"id": "a3", "text": ""},
        {"id": "a4", "text": "A 'recruiter' from DataAnnotation texted me on WhatsApp and wants "
                             "$150 for a starter kit."},
        {"id": "a5", "text": "Been on Outlier 8 months, paid every Tuesday to my PayPal, but "
                             "this month it's EQ every day."},
    ])


@pytest.fixture(scope="session")
def small_labeled(tmp_path_factory) -> Path:
    """The first 300 training posts, as a labeled CSV (enough positives of every signal)."""
    with open(LABELED / "train.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out = tmp_path_factory.mktemp("labeled") / "small.csv"
    return write_csv(out, rows[:300], ["id", "text", "labels"])


@pytest.fixture(scope="session")
def small_model(tmp_path_factory, small_labeled) -> Path:
    """A model trained on ``small_labeled`` (no cross-validation, for speed)."""
    from legitcheck._training import train_model_file

    path = tmp_path_factory.mktemp("model") / "small.joblib"
    train_model_file([small_labeled], path, cv=False)
    return path


@pytest.fixture(scope="session")
def default_predictor():
    from legitcheck import load_predictor

    return load_predictor()
