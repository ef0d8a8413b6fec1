"""Training and evaluating from labeled files: what ``legitcheck train`` and ``evaluate`` run."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from ._errors import InputError
from ._labels import read_labeled
from ._model import ModelConfig, apply_implications, label_metrics, train
from ._persistence import save_model

log = logging.getLogger(__name__)


@dataclass
class TrainSummary:
    path: Path
    card: dict
    n_posts: int
    dropped: dict


def train_model_file(data_paths, output: str | Path, *, config: ModelConfig | None = None,
                     text_column: str | None = None, encoding: str = "utf-8",
                     force: bool = False, cv: bool = True, test_paths=(),
                     name: str | None = None) -> TrainSummary:
    """Train on labeled files and save the model with its card.

    With ``cv``, the card holds cross-validated per-label figures from the training data;
    with ``test_paths``, also figures on those held-out files (never used for fitting).
    """
    output = Path(output)
    if output.exists() and not force:
        raise InputError(f"{output}: already exists; use --force to replace it")
    config = config or ModelConfig()
    data = read_labeled(data_paths, text_column=text_column, encoding=encoding)
    missing = [lab for lab, n in zip(data.labels, data.Y.sum(axis=0)) if n < 2]
    if missing:
        raise InputError(f"too few positive posts (need 2 or more) for: {', '.join(missing)}")
    log.info("training on %d posts from %d file(s)", len(data.texts), len(data_paths))
    result = train(data.texts, data.Y, data.labels, config, cv=cv)
    metrics = {}
    if result.cv_metrics:
        metrics["cross_validation"] = result.cv_metrics
    if test_paths:
        metrics["test"] = evaluate_pipeline(result.pipeline, data.labels, test_paths,
                                            text_column, encoding)
    card = {
        "name": name or output.stem,
        "config": config.as_dict(),
        "training_data": {
            "files": [Path(p).name for p in data_paths],
            "n_posts": len(data.texts),
            "label_counts": dict(zip(data.labels, map(int, data.Y.sum(axis=0)))),
            "sha256": data.sha256(),
        },
        "metrics": metrics,
    }
    card = save_model(result.pipeline, data.labels, output, card)
    return TrainSummary(output, card, len(data.texts), data.dropped)


def evaluate_pipeline(pipeline, labels, paths, text_column=None, encoding="utf-8") -> dict:
    from ._predictor import Predictor

    return evaluate_predictor(Predictor(pipeline, labels), paths, text_column, encoding)


def evaluate_predictor(predictor, paths, text_column: str | None = None,
                       encoding: str = "utf-8") -> dict:
    """Per-label P/R/F1 and macro/micro-F1 of a predictor on labeled files."""
    data = read_labeled(paths, labels=predictor.labels, text_column=text_column,
                        encoding=encoding)
    scored = predictor.score(data.texts)
    return label_metrics(data.Y, apply_implications(scored.decisions, predictor.labels),
                         predictor.labels)
