"""Semantic features from distilled static embeddings (model2vec, numpy only at run time).

The one place where embeddings enter the model. ``StaticEmbeddings`` is a scikit-learn
transformer over the spaCy step's output: for each post it returns the mean embedding
of the whole text, plus (``pools``) the mean embedding of the words the spaCy step
marked as negated, and of the words inside questions and if-clauses. "never got paid"
and "got paid" then differ in the embedding features too, not only in the n-grams.

The embedding table is read from a folder (the shipped one: ``models/embeddings``, made by
``scripts/build_embeddings.py``); it is never pickled into a model file.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from ._errors import ModelError

DEFAULT_EMBEDDINGS = "default"
POOLS = ("text", "negated", "asked")


def embeddings_dir(name: str) -> Path:
    """``"default"`` is the table shipped with legitcheck; anything else is a folder path."""
    if name == DEFAULT_EMBEDDINGS:
        from importlib.resources import files

        return Path(str(files("legitcheck.models").joinpath("embeddings")))
    return Path(name)


def table_sha256(folder: Path) -> str:
    return hashlib.sha256((folder / "model.safetensors").read_bytes()).hexdigest()


def load_static_model(folder: Path):
    try:
        from model2vec import StaticModel
    except ImportError:
        raise ModelError("this model uses embeddings, which need model2vec: "
                         "pip install model2vec") from None
    if not (folder / "model.safetensors").is_file():
        raise ModelError(f"{folder}: no embedding table (model.safetensors) there")
    return StaticModel.from_pretrained(str(folder), force_download=False)


def _scoped_words(terms, prefixes) -> str:
    return " ".join(t.split("_", 1)[1] for t in terms if t.startswith(prefixes))


class StaticEmbeddings(TransformerMixin, BaseEstimator):
    """PostAnalysis list -> dense matrix of pooled static embeddings."""

    def __init__(self, embeddings=DEFAULT_EMBEDDINGS, pools=("text", "negated")):
        self.embeddings = embeddings
        self.pools = pools

    def fit(self, X, y=None):
        unknown = set(self.pools) - set(POOLS)
        if unknown or not self.pools:
            raise ValueError(f"pools must be a non-empty subset of {POOLS}, got {self.pools}")
        folder = embeddings_dir(self.embeddings)
        self._model = load_static_model(folder)
        self.dim_ = int(self._model.dim)
        self.table_sha256_ = table_sha256(folder)
        return self

    @property
    def model(self):
        check_is_fitted(self)
        if getattr(self, "_model", None) is None:
            folder = embeddings_dir(self.embeddings)
            if table_sha256(folder) != self.table_sha256_:
                raise ModelError(f"{folder}: the embedding table differs from the one this "
                                 "model was trained with; retrain the model")
            self._model = load_static_model(folder)
        return self._model

    def transform(self, X):
        check_is_fitted(self)
        model = self.model
        blocks = []
        for pool in self.pools:
            if pool == "text":
                texts = [a.text for a in X]
            elif pool == "negated":
                texts = [_scoped_words(a.terms, ("NEG_",)) for a in X]
            else:
                texts = [_scoped_words(a.terms, ("Q_", "IF_")) for a in X]
            vectors = model.encode(texts, use_multiprocessing=False) if texts else \
                np.zeros((0, self.dim_))
            # An empty pool (no negation in the post) gives a zero vector, not noise.
            empty = np.fromiter((not t.strip() for t in texts), bool, len(texts))
            vectors[empty] = 0.0
            blocks.append(vectors.astype(np.float32))
        return np.hstack(blocks) if blocks else np.zeros((len(X), 0), np.float32)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_model", None)
        return state
