"""Training and evaluating from labeled files: what ``legitcheck train`` and ``evaluate`` run."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

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
    read: int
    dropped: dict
    compared: dict | None = None  # the replaced model's card, with --compare


def train_model_file(data_paths, output: str | Path, *, config: ModelConfig | None = None,
                     text_column: str | None = None, encoding: str = "utf-8",
                     force: bool = False, cv: bool = True, test_paths=(),
                     name: str | None = None, fmt: str | None = None,
                     allow_new_labels: bool = False, on_conflict: str | None = None,
                     compare: str | Path | None = None) -> TrainSummary:
    """Train on labeled files and save the model with its card.

    With ``cv``, the card holds cross-validated per-label figures from the training data;
    with ``test_paths``, also figures on those held-out files (never used for fitting).
    ``compare`` names a model whose card's figures are returned for side-by-side display.
    """
    output = Path(output)
    if output.exists() and not force:
        raise InputError(f"{output}: already exists; use --force to replace it")
    compared = None
    if compare is not None:
        from ._persistence import load_model

        compared = load_model(compare)[2]
    config = config or ModelConfig()
    data = read_labeled(data_paths, text_column=text_column, encoding=encoding, fmt=fmt,
                        allow_new_labels=allow_new_labels, on_conflict=on_conflict)
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
    return TrainSummary(output, card, len(data.texts), data.read, data.dropped, compared)


def evaluate_pipeline(pipeline, labels, paths, text_column=None, encoding="utf-8") -> dict:
    from ._predictor import Predictor

    return evaluate_predictor(Predictor(pipeline, labels), paths, text_column, encoding)


def evaluate_predictor(predictor, paths, text_column: str | None = None,
                       encoding: str = "utf-8", fmt: str | None = None,
                       on_conflict: str | None = None) -> dict:
    """Per-label P/R/F1 and macro/micro-F1 of a predictor on labeled files, with the
    rows read, kept and dropped (by reason) under ``rows``."""
    data = read_labeled(paths, labels=predictor.labels, text_column=text_column,
                        encoding=encoding, fmt=fmt, on_conflict=on_conflict)
    scored = predictor.score(data.texts)
    metrics = label_metrics(data.Y, apply_implications(scored.decisions, predictor.labels),
                            predictor.labels)
    metrics["rows"] = {"read": data.read, "kept": len(data.texts),
                       "dropped": {why: n for why, n in data.dropped.items() if n}}
    return metrics


def audit_labels(paths, *, config: ModelConfig | None = None, top: int = 50,
                 text_column: str | None = None, encoding: str = "utf-8",
                 fmt: str | None = None, on_conflict: str | None = None):
    """The (post, label) pairs the model disagrees with most under cross-validation.

    Each post is scored by a model that never saw it; a given label with a low score, or
    a missing label with a high one, ranks high: a likely labeling mistake to look at.
    Returns a DataFrame: source, label, given (0/1), score, disagreement, text.
    """
    import pandas as pd

    config = config or ModelConfig()
    data = read_labeled(paths, text_column=text_column, encoding=encoding, fmt=fmt,
                        on_conflict=on_conflict)
    clf = train(data.texts, data.Y, data.labels, config, cv=False).pipeline.named_steps["clf"]
    scores, thresholds = clf.cv_scores_, clf.thresholds_
    # How far the out-of-fold score lies on the wrong side of the label's threshold, as a
    # share of the room on that side (balanced class weights push every score up, so
    # raw |label - score| would rank common "missing" labels first).
    disagreement = np.where(data.Y == 1, (thresholds - scores) / thresholds,
                            (scores - thresholds) / (1 - thresholds))
    disagreement = np.nan_to_num(disagreement, nan=-np.inf)  # labels too rare to split
    flat = np.argsort(-disagreement, axis=None, kind="stable")[:top]
    flat = flat[np.isfinite(disagreement.ravel()[flat])]
    rows, cols = np.unravel_index(flat, disagreement.shape)
    return pd.DataFrame({
        "source": [data.sources[r] for r in rows],
        "label": [data.labels[c] for c in cols],
        "given": data.Y[rows, cols],
        "score": np.round(scores[rows, cols], 4),
        "disagreement": np.round(disagreement[rows, cols], 4),
        "text": [data.texts[r] for r in rows],
    })

