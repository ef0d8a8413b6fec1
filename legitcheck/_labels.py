"""Reading labeled posts for ``train`` and ``evaluate``.

A labeled table has a text column (found as for ``classify``) and either a ``labels``
column of names separated by ``;``, ``,`` or ``|``, or one 0/1 column per label.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass, field

import numpy as np

from ._defaults import LABEL_SEPARATORS, LABELS_COLUMN
from ._errors import InputError
from ._io import TableReader, find_text_source
from .signals import SIGNAL_NAMES, closest_signal

log = logging.getLogger(__name__)

_TRUE = {"1", "1.0", "true", "yes", "y", "t"}
_FALSE = {"0", "0.0", "false", "no", "n", "f", ""}
_SPLIT = re.compile(f"[{re.escape(LABEL_SEPARATORS)}]")


@dataclass
class LabeledPosts:
    texts: list[str]
    Y: np.ndarray  # (n_posts, n_labels) of 0/1
    labels: tuple[str, ...]
    sources: list[str] = field(default_factory=list)  # "file:row" for each post
    dropped: dict[str, int] = field(default_factory=dict)

    def sha256(self) -> str:
        """A fingerprint of the texts and labels (order included): what a model was fit on."""
        h = hashlib.sha256()
        h.update("\x1f".join(self.labels).encode())
        for text, row in zip(self.texts, self.Y):
            h.update(text.encode("utf-8"))
            h.update(b"\x1e" + bytes(row.astype(np.uint8)) + b"\x1d")
        return h.hexdigest()


def _unknown_label_error(path: str, row: int, name: str, labels) -> InputError:
    near = closest_signal(name, tuple(labels))
    hint = f"; did you mean {near!r}?" if near else f"; valid labels: {', '.join(labels)}"
    return InputError(f"{path}: row {row}: unknown label {name!r}{hint}")


def read_labeled(paths, labels=SIGNAL_NAMES, text_column: str | None = None,
                 encoding: str = "utf-8") -> LabeledPosts:
    """Read and check one or more labeled tables; every problem names its file and row.

    Rows with an empty text are dropped and counted (they teach nothing).
    """
    labels = tuple(labels)
    texts: list[str] = []
    rows: list[np.ndarray] = []
    sources: list[str] = []
    dropped = {"empty text": 0}
    for path in paths:
        n_before = len(texts)
        with TableReader(str(path), encoding=encoding) as reader:
            source = find_text_source(reader.columns, text_column, str(path))
            lower = {c.lower(): c for c in reader.columns}
            per_label = [lab for lab in labels if lab in reader.columns]
            if LABELS_COLUMN in lower:
                mode = "list"
            elif per_label and len(per_label) == len(labels):
                mode = "columns"
            elif per_label:
                missing = [lab for lab in labels if lab not in reader.columns]
                raise InputError(f"{path}: label columns missing: {', '.join(missing)}; give "
                                 f"all {len(labels)} or use a {LABELS_COLUMN!r} column")
            else:
                raise InputError(f"{path}: no labels: add a {LABELS_COLUMN!r} column "
                                 f"(names separated by ';') or one 0/1 column per label")
            index = {lab: i for i, lab in enumerate(labels)}
            for chunk in reader.chunks():
                chunk_texts = source.texts(chunk)
                if mode == "list":
                    values = chunk[lower[LABELS_COLUMN]].tolist()
                for k, text in enumerate(chunk_texts):
                    row_no = int(chunk.index[k]) + 2  # 1-based, after the header row
                    y = np.zeros(len(labels), dtype=np.int8)
                    if mode == "list":
                        cell = values[k]
                        cell = "" if cell is None or cell != cell else str(cell)
                        for name in filter(None, (p.strip() for p in _SPLIT.split(cell))):
                            if name not in index:
                                raise _unknown_label_error(str(path), row_no, name, labels)
                            y[index[name]] = 1
                    else:
                        for lab in labels:
                            cell = str(chunk[lab].iloc[k]).strip().lower()
                            if cell in _TRUE:
                                y[index[lab]] = 1
                            elif cell not in _FALSE and cell != "nan":
                                raise InputError(f"{path}: row {row_no}: column {lab!r} holds "
                                                 f"{cell!r}; use 0/1, true/false or yes/no")
                    if not text.strip():
                        dropped["empty text"] += 1
                        continue
                    texts.append(text)
                    rows.append(y)
                    sources.append(f"{path}:{row_no}")
        if len(texts) == n_before:
            raise InputError(f"{path}: no labeled posts (the file has no rows with text)")
    Y = np.vstack(rows) if rows else np.zeros((0, len(labels)), dtype=np.int8)
    return LabeledPosts(texts, Y.astype(int), labels, sources, dropped)
