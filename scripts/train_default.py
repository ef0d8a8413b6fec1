"""Train the shipped default model from data/labeled/train.csv.

usage: python scripts/train_default.py

Writes models/default.joblib and models/default.card.json. The card holds the
cross-validated figures on the training split and the figures on the fixed test split
(data/labeled/test.csv), which training never sees. Same data and seed, same model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from legitcheck._model import ModelConfig  # noqa: E402
from legitcheck._training import train_model_file  # noqa: E402

# The shipped model uses ModelConfig's defaults, chosen by cross-validation on the
# training split (scripts/ablation.py prints the comparison).
DEFAULT_CONFIG = ModelConfig()


def main() -> int:
    summary = train_model_file(
        [ROOT / "data" / "labeled" / "train.csv"], ROOT / "models" / "default.joblib",
        config=DEFAULT_CONFIG, force=True, cv=True,
        test_paths=[ROOT / "data" / "labeled" / "test.csv"], name="default")
    m = summary.card["metrics"]
    print(json.dumps({"cv_macro_f1": m["cross_validation"]["macro_f1"],
                      "test_macro_f1": m["test"]["macro_f1"],
                      "test_min_f1": min(v["f1"] for v in m["test"]["per_label"].values())}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
