"""Which posts to label next: uncertain ones, spread out so that they are not all alike.

A post's uncertainty per signal is how close its score lies to that signal's threshold
(1 at the threshold, 0 at a confident 0 or 1); the post's uncertainty is the mean over its
three most uncertain signals, so a post the model is unsure about on several signals
ranks above one that sits on a single threshold. Picks are made greedily by
uncertainty minus ``diversity`` times the post's highest cosine similarity (on the
model's mean embeddings, or its n-gram features when it has none) to a post already
picked, so that 100 picks are not 100 copies of one complaint.
"""

from __future__ import annotations

import json

import numpy as np

from ._io import TableReader, find_text_source

UNCERTAIN_SIGNALS = 3  # how many of a post's most uncertain signals its uncertainty averages


def uncertainty(scores: np.ndarray, thresholds: np.ndarray,
                top: int = UNCERTAIN_SIGNALS) -> np.ndarray:
    room = np.where(scores >= thresholds, 1 - thresholds, thresholds)
    per_signal = 1 - np.abs(scores - thresholds) / room
    top = max(1, min(top, per_signal.shape[1]))
    return np.sort(per_signal, axis=1)[:, -top:].mean(axis=1)


def _vectors(predictor, analyses) -> np.ndarray:
    features = predictor.pipeline.named_steps["features"]
    parts = dict(features.transformer_list)
    if "embeddings" in parts:
        V = parts["embeddings"].transform(analyses)[:, : parts["embeddings"].dim_]
    else:
        V = features.transform(analyses)
        V = V.toarray() if hasattr(V, "toarray") else V
    norms = np.linalg.norm(V, axis=1, keepdims=True)
    return V / np.where(norms == 0, 1, norms)


def pick(unc: np.ndarray, vectors: np.ndarray, n: int, diversity: float = 0.5) -> list[int]:
    """Greedy max-marginal-relevance selection of ``n`` indices."""
    n = min(n, len(unc))
    chosen: list[int] = []
    closest = np.zeros(len(unc))
    available = np.ones(len(unc), bool)
    for _ in range(n):
        gain = np.where(available, unc - diversity * closest, -np.inf)
        i = int(np.argmax(gain))
        chosen.append(i)
        available[i] = False
        closest = np.maximum(closest, vectors @ vectors[i])
    return chosen


def suggest_indices(predictor, texts: list[str], n: int, diversity: float = 0.5):
    """Indices into ``texts`` of the ``n`` picks, with the batch's ``Scored`` and
    uncertainties (empty texts are never picked)."""
    keep = [i for i, t in enumerate(texts) if t.strip()]
    scored = predictor.score([texts[i] for i in keep])
    unc = uncertainty(scored.scores, predictor.pipeline.named_steps["clf"].thresholds_)
    order = pick(unc, _vectors(predictor, scored.analyses), n, diversity)
    return [keep[i] for i in order], scored, unc, order


def suggest_posts(predictor, path: str, n: int = 100, *, text_column: str | None = None,
                  encoding: str = "utf-8", diversity: float = 0.5):
    """The ``n`` posts of ``path`` to label next, with the model's guesses pre-filled.

    Returns the picked rows (all their columns) plus ``text``-source columns, ``labels``
    (the current guesses, ``;``-joined) and ``uncertainty``, most useful first.
    """
    import pandas as pd

    with TableReader(str(path), encoding=encoding) as reader:
        source = find_text_source(reader.columns, text_column, str(path))
        frame = pd.concat(list(reader.chunks()) or [pd.DataFrame(columns=reader.columns)])
    texts = source.texts(frame)
    picked, scored, unc, order = suggest_indices(predictor, texts, n, diversity)
    rows = frame.iloc[picked].copy()
    if "text" not in rows.columns:
        rows.insert(0, "text", [texts[i] for i in picked])
    rows["labels"] = [";".join(lab for lab, d in zip(predictor.labels, scored.decisions[i]) if d)
                      for i in order]
    rows["uncertainty"] = np.round(unc[order], 4)
    return rows.reset_index(drop=True)


def labelstudio_tasks(rows, labels, model_version: str = "legitcheck") -> str:
    """Label Studio task JSON with the guesses as predictions (choices named 'signals')."""
    tasks = []
    for r in rows.to_dict(orient="records"):
        guess = [x for x in str(r.get("labels", "")).split(";") if x]
        data = {k: (None if isinstance(v, float) and v != v else v) for k, v in r.items()
                if k not in ("labels", "uncertainty")}
        tasks.append({"data": data, "predictions": [{
            "model_version": model_version, "score": float(r["uncertainty"]),
            "result": [{"from_name": "signals", "to_name": "text", "type": "choices",
                        "value": {"choices": guess}}]}]})
    return json.dumps(tasks, indent=1, ensure_ascii=False, default=str)
