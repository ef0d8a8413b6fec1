"""Reading labeled posts for ``train``, ``evaluate`` and ``audit``, in the formats people label in.

Formats (detected by extension and content; ``fmt`` overrides):

``table``
    CSV, TSV, JSON Lines or Parquet with a text column (found as for ``classify``) and
    either a ``labels`` column (names separated by ``;``, ``,`` or ``|``) or one column
    per label holding 0/1, true/false or yes/no.
``labelstudio-json``
    a Label Studio JSON export: full (tasks with ``data`` and ``annotations``) or
    JSON_MIN (flat records whose choices field is a string or ``{"choices": [...]}``).
``labelstudio-csv``
    a Label Studio CSV export (it has an ``annotation_id`` column); the choices column
    holds a bare string or ``{"choices": [...]}``.
``doccano``
    doccano JSON Lines: ``{"text": ..., "label": [...]}``.

Every problem names its file and row: unknown label names (with the closest valid one),
rows without text, the same text labeled two ways, empty files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ._defaults import LABEL_SEPARATORS, LABELS_COLUMN
from ._errors import InputError
from ._io import TableReader, find_text_source
from .signals import SIGNAL_NAMES, closest_signal

log = logging.getLogger(__name__)

FORMATS = ("table", "labelstudio-json", "labelstudio-csv", "doccano")
CONFLICT_POLICIES = ("drop", "first", "union")
_TRUE = {"1", "1.0", "true", "yes", "y", "t"}
_FALSE = {"0", "0.0", "false", "no", "n", "f", ""}
_SPLIT = re.compile(f"[{re.escape(LABEL_SEPARATORS)}]")
_LS_META = {"id", "annotation_id", "annotator", "created_at", "updated_at", "lead_time",
            "inner_id", "project", "updated_by", "agreement"}


@dataclass
class LabeledPosts:
    texts: list[str]
    Y: np.ndarray  # (n_posts, n_labels) of 0/1
    labels: tuple[str, ...]
    sources: list[str] = field(default_factory=list)  # "file:row N" for each post
    read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)

    def sha256(self) -> str:
        """A fingerprint of the texts and labels (order included): what a model was fit on."""
        h = hashlib.sha256()
        h.update("\x1f".join(self.labels).encode())
        for text, row in zip(self.texts, self.Y):
            h.update(text.encode("utf-8"))
            h.update(b"\x1e" + bytes(row.astype(np.uint8)) + b"\x1d")
        return h.hexdigest()


@dataclass
class _Record:
    ref: str
    text: str
    names: list[str]


def _names(cell) -> list[str]:
    """Label names from a cell: a separated string, a list, or ``{"choices": [...]}``."""
    if cell is None or (isinstance(cell, float) and cell != cell):
        return []
    if isinstance(cell, dict):
        cell = cell.get("choices", [])
    if isinstance(cell, (list, tuple)):
        return [str(c).strip() for c in cell if str(c).strip()]
    text = str(cell).strip()
    if text.startswith("{"):
        try:
            return _names(json.loads(text))
        except json.JSONDecodeError:
            pass
    return [p.strip() for p in _SPLIT.split(text) if p.strip()]


def detect_format(path: str) -> str:
    ext = Path(path).suffix.lower()
    if ext == ".json":
        return "labelstudio-json"
    if ext in (".jsonl", ".ndjson"):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    try:
                        first = json.loads(line)
                    except json.JSONDecodeError:
                        return "table"  # the table reader names the bad line
                    return "doccano" if isinstance(first, dict) and "label" in first and \
                        LABELS_COLUMN not in first else "table"
        return "table"
    if ext == ".csv":
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline().lower()
        if "annotation_id" in [h.strip().strip('"') for h in header.split(",")]:
            return "labelstudio-csv"
    return "table"


def _table_records(path: str, labels, text_column, encoding, label_studio: bool
                   ) -> Iterator[_Record]:
    with TableReader(path, encoding=encoding) as reader:
        source = find_text_source(reader.columns, text_column, path)
        lower = {c.lower(): c for c in reader.columns}
        per_label = [lab for lab in labels if lab in reader.columns]
        if label_studio:
            choices = [c for c in reader.columns
                       if c not in source.columns and c.lower() not in _LS_META]
            if not choices:
                raise InputError(f"{path}: Label Studio CSV without a choices column")
            mode, column = "list", choices[0]
        elif LABELS_COLUMN in lower:
            mode, column = "list", lower[LABELS_COLUMN]
        elif per_label and len(per_label) == len(labels):
            mode, column = "columns", None
        elif per_label:
            missing = [lab for lab in labels if lab not in reader.columns]
            raise InputError(f"{path}: label columns missing: {', '.join(missing)}; give "
                             f"all {len(labels)} or use a {LABELS_COLUMN!r} column")
        else:
            raise InputError(f"{path}: no labels: add a {LABELS_COLUMN!r} column "
                             f"(names separated by ';') or one 0/1 column per label")
        for chunk in reader.chunks():
            texts = source.texts(chunk)
            values = chunk[column].tolist() if mode == "list" else None
            for k, text in enumerate(texts):
                ref = f"{path}: row {int(chunk.index[k]) + 2}"
                if mode == "list":
                    names = _names(values[k])
                else:
                    names = []
                    for lab in labels:
                        cell = str(chunk[lab].iloc[k]).strip().lower()
                        if cell in _TRUE:
                            names.append(lab)
                        elif cell not in _FALSE and cell != "nan":
                            raise InputError(f"{ref}: column {lab!r} holds {cell!r}; use "
                                             "0/1, true/false or yes/no")
                yield _Record(ref, text, names)


def _text_of(data: dict, text_column: str | None, ref: str) -> str:
    keys = [text_column] if text_column else ["text", "body", "selftext", "post", "content",
                                              "comment"]
    for key in keys:
        if key in data:
            value = data[key]
            return "" if value is None else str(value)
    raise InputError(f"{ref}: no text field (looked for {', '.join(keys)}); fields found: "
                     f"{', '.join(map(str, data))}")


def _labelstudio_json_records(path: str, text_column, encoding) -> Iterator[_Record]:
    try:
        with open(path, encoding=encoding) as fh:
            tasks = json.load(fh)
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno})") from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    if isinstance(tasks, dict):
        tasks = [tasks]
    if not isinstance(tasks, list):
        raise InputError(f"{path}: expected a list of Label Studio tasks")
    for n, task in enumerate(tasks, start=1):
        ref = f"{path}: task {n}"
        if not isinstance(task, dict):
            raise InputError(f"{ref}: not a JSON object")
        if "annotations" in task or "data" in task:  # full export
            text = _text_of(task.get("data", {}), text_column, ref)
            names: list[str] = []
            done = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
            if done:
                for result in done[-1].get("result", []):
                    names += _names(result.get("value", {}))
            yield _Record(ref, text, names)
        else:  # JSON_MIN
            text = _text_of(task, text_column, ref)
            fields = [k for k, v in task.items()
                      if k not in _LS_META and k != (text_column or "text")
                      and (isinstance(v, (str, list)) or (isinstance(v, dict) and "choices" in v))]
            yield _Record(ref, text, _names(task[fields[0]]) if fields else [])


def _doccano_records(path: str, text_column, encoding) -> Iterator[_Record]:
    with open(path, encoding=encoding) as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            ref = f"{path}: line {n}"
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{ref}: invalid JSON ({exc.msg})") from None
            yield _Record(ref, _text_of(item, text_column, ref), _names(item.get("label")))


def _records(path: str, fmt: str | None, labels, text_column, encoding) -> Iterator[_Record]:
    if fmt is not None and fmt not in FORMATS:
        raise InputError(f"unknown label format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not Path(path).is_file():
        raise InputError(f"{path}: no such file")
    fmt = fmt or detect_format(path)
    if fmt == "labelstudio-json":
        return _labelstudio_json_records(path, text_column, encoding)
    if fmt == "doccano":
        return _doccano_records(path, text_column, encoding)
    return _table_records(path, labels, text_column, encoding, fmt == "labelstudio-csv")


def read_labeled(paths, labels=SIGNAL_NAMES, text_column: str | None = None,
                 encoding: str = "utf-8", fmt: str | None = None,
                 allow_new_labels: bool = False, on_conflict: str | None = None
                 ) -> LabeledPosts:
    """Read and check labeled files; every problem names its file and row.

    Rows with an empty text are dropped and counted. An unknown label is an error naming
    the closest valid label, or, with ``allow_new_labels``, a new signal appended to
    ``labels``. The same text labeled two ways is an error listing the rows, unless
    ``on_conflict`` says what to do: ``drop`` every copy, keep the ``first``, or take the
    ``union`` of the labels. Exact repeats (same text, same labels) keep their first copy.
    """
    if on_conflict is not None and on_conflict not in CONFLICT_POLICIES:
        raise InputError(f"--on-conflict must be one of {', '.join(CONFLICT_POLICIES)}")
    labels = list(labels)
    known = set(labels)
    kept: dict[str, tuple[_Record, set[str]]] = {}
    order: list[str] = []
    conflicts: dict[str, list[str]] = {}
    dropped = {"empty text": 0, "repeated text": 0, "conflicting labels": 0}
    read = 0
    for path in paths:
        n_before = read
        for rec in _records(str(path), fmt, labels, text_column, encoding):
            read += 1
            for name in rec.names:
                if name not in known:
                    if not allow_new_labels:
                        near = closest_signal(name, tuple(labels))
                        hint = (f"; did you mean {near!r}?" if near else
                                f"; valid labels: {', '.join(labels)}")
                        raise InputError(f"{rec.ref}: unknown label {name!r}{hint} "
                                         "(--allow-new-labels learns it as a new signal)")
                    labels.append(name)
                    known.add(name)
            if not rec.text.strip():
                dropped["empty text"] += 1
                continue
            key = " ".join(rec.text.split()).casefold()
            names = set(rec.names)
            if key not in kept:
                kept[key] = (rec, names)
                order.append(key)
            elif kept[key][1] == names:
                dropped["repeated text"] += 1
            else:
                conflicts.setdefault(key, [kept[key][0].ref]).append(rec.ref)
                if on_conflict == "union":
                    kept[key] = (kept[key][0], kept[key][1] | names)
                dropped["repeated text" if on_conflict == "union" else "conflicting labels"] += 1
        if read == n_before:
            raise InputError(f"{path}: the file holds no labeled posts")
    if conflicts and on_conflict is None:
        shown = "; ".join(" vs ".join(refs) for refs in list(conflicts.values())[:3])
        more = f" (and {len(conflicts) - 3} more)" if len(conflicts) > 3 else ""
        raise InputError(f"{len(conflicts)} text(s) labeled two different ways: {shown}{more}; "
                         "choose --on-conflict drop, first or union")
    if on_conflict == "drop":
        dropped["conflicting labels"] += len(conflicts)  # the first copies go too
        order = [k for k in order if k not in conflicts]
    index = {lab: i for i, lab in enumerate(labels)}
    Y = np.zeros((len(order), len(labels)), dtype=int)
    texts, sources = [], []
    for r, key in enumerate(order):
        rec, names = kept[key]
        texts.append(rec.text)
        sources.append(rec.ref)
        for name in names:
            Y[r, index[name]] = 1
    log.info("read %d rows, kept %d, dropped %s", read, len(texts),
             ", ".join(f"{n} ({why})" for why, n in dropped.items() if n) or "none")
    return LabeledPosts(texts, Y, tuple(labels), sources, read, dropped)
