"""The public predictor: what other tools import.

>>> from legitcheck import load_predictor
>>> p = load_predictor()
>>> [r.signals for r in p.predict(["Outlier paid me on time to my PayPal again."])]
[('payment_received', 'paid_via_paypal')]
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ._defaults import CHUNK_ROWS
from ._errors import InputError
from ._extract import PayRate
from ._features import as_texts
from ._io import (
    STDIO,
    TableReader,
    TableWriter,
    default_output_path,
    detect_format,
    find_text_source,
    same_file,
)
from ._model import apply_implications
from ._persistence import load_model

log = logging.getLogger(__name__)

FIELD_COLUMNS = ("platforms", "pay_rates", "payment_methods")


@dataclass(frozen=True)
class PostResult:
    """The signals and extracted fields of one post."""

    signals: tuple[str, ...]
    scores: dict[str, float]
    platforms: tuple[str, ...] = ()
    pay_rates: tuple[PayRate, ...] = ()
    payment_methods: tuple[str, ...] = ()


@dataclass
class Scored:
    """A batch of posts after the model: scores, decisions and the spaCy step's fields."""

    scores: np.ndarray  # (n_posts, n_labels) probabilities
    decisions: np.ndarray  # (n_posts, n_labels) 0/1 after thresholds and implications
    analyses: list


class Predictor:
    """Tags posts with signals using a trained model (see :func:`load_predictor`).

    A Predictor pickles without its spaCy pipeline, which is rebuilt on first use, so it
    can be sent to worker processes.
    """

    def __init__(self, pipeline, labels: Sequence[str], card: dict | None = None):
        self.pipeline = pipeline
        self.labels = tuple(labels)
        self.card = card or {}

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(zip(self.labels, self.pipeline.named_steps["clf"].thresholds_.tolist()))

    def score(self, texts: Iterable) -> Scored:
        """Run the whole model over a batch of posts (strings; None/NaN count as empty)."""
        texts = as_texts(list(texts) if not hasattr(texts, "__len__") else texts)
        spacy_step = self.pipeline.named_steps["spacy"]
        analyses = spacy_step.transform(texts)
        if not analyses:
            empty = np.zeros((0, len(self.labels)))
            return Scored(empty, empty.astype(int), [])
        X = self.pipeline.named_steps["features"].transform(analyses)
        clf = self.pipeline.named_steps["clf"]
        scores = clf.predict_proba(X)
        decisions = (scores >= clf.thresholds_).astype(int)
        # An empty post says nothing: no signal, whatever the intercepts would give.
        empty_rows = np.fromiter((not t.strip() for t in texts), bool, len(texts))
        decisions[empty_rows] = 0
        return Scored(scores, apply_implications(decisions, self.labels), analyses)

    def predict(self, texts: Iterable[str]) -> list[PostResult]:
        """One :class:`PostResult` per post, in order."""
        scored = self.score(texts)
        out = []
        for row, dec, a in zip(scored.scores, scored.decisions, scored.analyses):
            out.append(PostResult(
                signals=tuple(lab for lab, d in zip(self.labels, dec) if d),
                scores={lab: round(float(s), 4) for lab, s in zip(self.labels, row)},
                platforms=a.platforms, pay_rates=a.pay_rates, payment_methods=a.payment_methods,
            ))
        return out

    def predict_frame(self, frame, text_column: str | None = None, scores: bool = False,
                      fields: bool = True):
        """A copy of ``frame`` with the output columns added (see README: Output columns)."""
        source = find_text_source(frame.columns, text_column)
        return self._annotate(frame, source, scores=scores, fields=fields)

    def output_columns(self, scores: bool = False, fields: bool = True) -> list[str]:
        cols = ["signals", *self.labels]
        if scores:
            cols += [f"score_{lab}" for lab in self.labels]
        if fields:
            cols += list(FIELD_COLUMNS)
        return cols

    def _annotate(self, frame, source, scores: bool, fields: bool, rename=None):
        import pandas as pd

        scored = self.score(source.texts(frame))
        rename = rename or {}
        dec = scored.decisions
        new = {"signals": [";".join(lab for lab, d in zip(self.labels, row) if d) for row in dec]}
        for j, lab in enumerate(self.labels):
            new[lab] = dec[:, j]
        if scores:
            for j, lab in enumerate(self.labels):
                new[f"score_{lab}"] = np.round(scored.scores[:, j], 4)
        if fields:
            a = scored.analyses
            new["platforms"] = [";".join(x.platforms) for x in a]
            new["pay_rates"] = ["; ".join(map(str, x.pay_rates)) for x in a]
            new["payment_methods"] = [";".join(x.payment_methods) for x in a]
        added = pd.DataFrame({rename.get(k, k): v for k, v in new.items()}, index=frame.index)
        return pd.concat([frame, added], axis=1)

    def __repr__(self) -> str:
        return f"Predictor(labels={len(self.labels)}, model={self.card.get('name', '?')!r})"


def load_predictor(model: str | Path | None = None) -> Predictor:
    """Load a predictor: the shipped default model, or a model file made by ``train``."""
    pipeline, labels, card = load_model(model)
    return Predictor(pipeline, labels, card)


@dataclass
class ClassifySummary:
    rows: int
    empty_texts: int
    truncated: int
    output: str
    text_source: str
    renamed: dict


_WORKER_PREDICTOR: Predictor | None = None


def _init_worker(predictor: Predictor) -> None:
    # Each worker receives the predictor once and builds its spaCy step once.
    global _WORKER_PREDICTOR
    _WORKER_PREDICTOR = predictor


def _score_chunk(args):
    frame, source, scores, fields, rename = args
    return _WORKER_PREDICTOR._annotate(frame, source, scores, fields, rename)


def classify_file(predictor: Predictor, input_path: str, output_path: str | None = None, *,
                  text_column: str | None = None, encoding: str = "utf-8",
                  scores: bool = False, fields: bool = True, jobs: int = 1,
                  input_format: str | None = None, output_format: str | None = None,
                  chunk_rows: int = CHUNK_ROWS,
                  progress: Callable[[int, int | None, int | None], None] | None = None,
                  ) -> ClassifySummary:
    """Classify every row of a table and write it with the output columns added.

    Reads and writes in chunks (memory stays flat), keeps every row and column in order,
    writes atomically, and never overwrites the input. ``progress(rows_done, bytes_done,
    bytes_total)`` is called after each chunk.
    """
    detect_format(input_path, input_format)
    output_path = output_path or default_output_path(input_path)
    try:
        detect_format(output_path, output_format)
    except InputError:
        raise InputError(f"{output_path}: unknown output format; end the -o path with .csv, "
                         ".tsv, .jsonl or .parquet") from None
    if same_file(input_path, output_path):
        raise InputError(f"{output_path}: the output would overwrite the input; "
                         "choose another path with -o")
    if jobs < 1:
        raise InputError("--jobs must be at least 1")
    rows = empty = truncated = 0
    max_chars = predictor.pipeline.named_steps["spacy"].max_chars
    with TableReader(input_path, input_format, encoding, chunk_rows) as reader:
        source = find_text_source(reader.columns, text_column, input_path)
        out_cols = predictor.output_columns(scores, fields)
        clashes = [c for c in out_cols if c in reader.columns]
        rename = {c: f"{c}_pred" for c in clashes}
        if clashes:
            log.warning("%s: input already has column(s) %s; legitcheck's are named %s",
                        input_path, ", ".join(clashes), ", ".join(rename.values()))
        pool = None
        try:
            with TableWriter(output_path, output_format) as writer:
                chunks = reader.chunks()
                if jobs > 1:
                    import multiprocessing as mp

                    pool = mp.get_context("spawn").Pool(jobs, _init_worker, (predictor,))
                    work = ((c, source, scores, fields, rename) for c in chunks)
                    results = pool.imap(_score_chunk, work)
                else:
                    results = (predictor._annotate(c, source, scores, fields, rename)
                               for c in chunks)
                for out in results:
                    texts = source.texts(out)
                    empty += sum(1 for t in texts if not t.strip())
                    truncated += sum(1 for t in texts if len(t) > max_chars)
                    writer.write(out)
                    rows += len(out)
                    if progress:
                        progress(rows, reader.bytes_read, reader.size)
                if rows == 0:
                    import pandas as pd

                    writer.write(pd.DataFrame(columns=reader.columns
                                              + [rename.get(c, c) for c in out_cols]))
        finally:
            if pool is not None:
                pool.terminate()
    if empty:
        log.warning("%s: %d row(s) with empty text: kept, with no signals", input_path, empty)
    if truncated:
        log.warning("%s: %d post(s) longer than %d characters: classified on their first "
                    "%d characters", input_path, truncated, max_chars, max_chars)
    return ClassifySummary(rows, empty, truncated, output_path if output_path != STDIO
                           else "(stdout)", str(source), rename)
