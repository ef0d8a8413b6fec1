"""Saving and loading models: one joblib file plus a JSON model card beside it.

Only load model files you trust: joblib files are pickles and can run code when loaded.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import warnings
from pathlib import Path

from ._errors import ModelError
from ._io import atomic_path

log = logging.getLogger(__name__)

FORMAT = "legitcheck-model"
FORMAT_VERSION = 1
DEFAULT_MODEL_NAME = "default.joblib"


class ModelVersionWarning(UserWarning):
    """The model was made with another major version of scikit-learn or spaCy."""


def card_path(model_path: str | Path) -> Path:
    p = Path(model_path)
    return p.with_name(p.stem + ".card.json")


def default_model_path() -> Path:
    """The shipped default model (installed as the ``legitcheck.models`` package data)."""
    from importlib.resources import files

    return Path(str(files("legitcheck.models").joinpath(DEFAULT_MODEL_NAME)))


def default_corpus_path() -> Path:
    """The training split of the shipped corpus (installed as ``legitcheck.corpus``)."""
    source_tree = Path(__file__).resolve().parents[1] / "data" / "labeled" / "train.csv"
    if source_tree.is_file():  # a checkout or an editable install
        return source_tree
    from importlib.resources import files

    try:
        return Path(str(files("legitcheck.corpus").joinpath("train.csv")))
    except ModuleNotFoundError:
        raise ModelError("the shipped corpus is not installed; reinstall legitcheck") from None


def library_versions() -> dict[str, str]:
    import sklearn
    import spacy

    from . import __version__

    return {"legitcheck": __version__, "scikit-learn": sklearn.__version__,
            "spacy": spacy.__version__}


def save_model(pipeline, labels, path: str | Path, card: dict) -> dict:
    """Write the model file and its card atomically; returns the card as written."""
    import joblib

    path = Path(path)
    versions = library_versions()
    card = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "labels": list(labels),
        "thresholds": {lab: float(t) for lab, t in
                       zip(labels, pipeline.named_steps["clf"].thresholds_)},
        "versions": versions,
        "created": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
        **card,
    }
    payload = {"format": FORMAT, "format_version": FORMAT_VERSION, "labels": list(labels),
               "versions": versions, "pipeline": pipeline}
    with atomic_path(path) as tmp:
        joblib.dump(payload, tmp, compress=3)
    with atomic_path(card_path(path)) as tmp:
        tmp.write_text(json.dumps(card, indent=2, sort_keys=False) + "\n", encoding="utf-8")
    return card


def _major(version: str) -> str:
    return version.split(".")[0]


def load_model(path: str | Path | None = None):
    """Load a model file (default: the shipped model); returns ``(pipeline, labels, card)``.

    Raises ModelError for a missing, truncated or foreign file; warns with
    :class:`ModelVersionWarning` when it was made with another major version of
    scikit-learn or spaCy.
    """
    import joblib

    path = Path(path) if path is not None else default_model_path()
    if not path.is_file():
        raise ModelError(f"{path}: model file not found"
                         + ("; reinstall legitcheck or train one with 'legitcheck train'"
                            if path == default_model_path() else ""))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            payload = joblib.load(path)
        except Exception as exc:  # truncated, corrupt or not a joblib/pickle file at all
            raise ModelError(f"{path}: not a readable legitcheck model (truncated or foreign "
                             f"file: {type(exc).__name__}); retrain or re-download it") from None
    for w in caught:  # scikit-learn's own unpickling warnings are summarised below
        if "InconsistentVersionWarning" not in type(w.message).__name__:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ModelError(f"{path}: not a legitcheck model file")
    if payload.get("format_version", 0) > FORMAT_VERSION:
        raise ModelError(f"{path}: made by a newer legitcheck (model format "
                         f"{payload['format_version']}); upgrade legitcheck")
    saved, now = payload.get("versions", {}), library_versions()
    for lib in ("scikit-learn", "spacy"):
        if lib in saved and _major(saved[lib]) != _major(now[lib]):
            warnings.warn(f"{path}: model made with {lib} {saved[lib]}, running {lib} "
                          f"{now[lib]}; predictions may differ, retrain to be sure",
                          ModelVersionWarning, stacklevel=2)
    card = {}
    cp = card_path(path)
    if cp.is_file():
        try:
            card = json.loads(cp.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            log.warning("%s: model card unreadable; using the model without it", cp)
    return payload["pipeline"], tuple(payload["labels"]), card
