"""scikit-learn transformers over the spaCy step.

``SpacyFeaturizer`` turns raw texts into :class:`~legitcheck._nlp.PostAnalysis` objects;
``make_features`` turns those into one sparse matrix: TF-IDF over the scope-marked terms
(unigrams and bigrams), the rule features (platforms, pay-rate buckets, payment methods,
question/negation/if flags), and, optionally, character n-grams of the raw text.
"""

from __future__ import annotations

import math
import re

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, make_pipeline
from sklearn.preprocessing import FunctionTransformer
from sklearn.utils.validation import check_is_fitted

from ._defaults import MAX_CHARS
from ._nlp import analyse, build_nlp


def as_texts(X, max_chars: int = MAX_CHARS) -> list[str]:
    """Validate a batch of posts: a sequence of strings; None/NaN become empty posts.

    A post longer than ``max_chars`` is cut to that prefix (the row is kept).
    """
    if isinstance(X, (str, bytes)):
        raise TypeError("expected a sequence of posts, got a single string; wrap it in a list")
    if hasattr(X, "ndim") and getattr(X, "ndim", 1) == 2:
        if X.shape[1] != 1:
            raise ValueError(f"expected one column of texts, got {X.shape[1]} columns")
        X = X[:, 0] if isinstance(X, np.ndarray) else X.iloc[:, 0]
    texts = []
    for x in X:
        if x is None or (isinstance(x, float) and math.isnan(x)):
            texts.append("")
        else:
            s = x if isinstance(x, str) else str(x)
            texts.append(s[:max_chars] if len(s) > max_chars else s)
    return texts


class SpacyFeaturizer(TransformerMixin, BaseEstimator):
    """Raw posts -> list of ``PostAnalysis`` through legitcheck's spaCy step.

    The spaCy pipeline is rebuilt from these settings whenever it is needed (after
    unpickling, in a worker process) and is never pickled.
    """

    def __init__(self, spacy_model=None, negation_window=5, mark_questions=True,
                 mark_hypotheticals=True, max_chars=MAX_CHARS, batch_size=256):
        self.spacy_model = spacy_model
        self.negation_window = negation_window
        self.mark_questions = mark_questions
        self.mark_hypotheticals = mark_hypotheticals
        self.max_chars = max_chars
        self.batch_size = batch_size

    def fit(self, X, y=None):
        as_texts(X, self.max_chars)
        if self.negation_window < 0:
            raise ValueError("negation_window must be >= 0")
        import spacy

        self.spacy_version_ = spacy.__version__
        self.nlp_settings_ = {
            "spacy_model": self.spacy_model,
            "negation_window": int(self.negation_window),
            "mark_questions": bool(self.mark_questions),
            "mark_hypotheticals": bool(self.mark_hypotheticals),
        }
        self._nlp = build_nlp(**self.nlp_settings_)
        return self

    @property
    def nlp(self):
        """The spaCy pipeline, built on first use from the fitted settings."""
        check_is_fitted(self)
        if getattr(self, "_nlp", None) is None:
            self._nlp = build_nlp(**self.nlp_settings_)
        return self._nlp

    def transform(self, X):
        check_is_fitted(self)
        return analyse(self.nlp, as_texts(X, self.max_chars), self.batch_size)

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("_nlp", None)
        return state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.two_d_array = False
        tags.input_tags.string = True
        tags.requires_fit = True
        return tags


def terms_and_bigrams(analysis) -> list[str]:
    """The TF-IDF analyzer: scope-marked terms plus adjacent pairs."""
    terms = analysis.terms
    return terms + [f"{a} {b}" for a, b in zip(terms, terms[1:])]


def rules_of(analyses) -> list[dict[str, float]]:
    return [a.rules for a in analyses]


def texts_of(analyses) -> list[str]:
    return [a.text for a in analyses]


_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_FIRST_PERSON = re.compile(r"\b(?:i|me|my|mine|i'm|i've|im|ive)\b", re.IGNORECASE)


def asserted_text(text: str) -> str:
    """The text without the questions that ask rather than tell.

    "Has anyone been deactivated?" is dropped; "Why did they deactivate my account?" is
    kept, since a question about the author's own case reports it.
    """
    if "?" not in text:
        return text
    return " ".join(s for s in _SENTENCES.split(text)
                    if not s.rstrip().endswith("?") or _FIRST_PERSON.search(s))


def asserted_texts_of(analyses) -> list[str]:
    return [asserted_text(a.text) for a in analyses]


def make_features(char_ngrams: bool = False, rule_weight: float = 1.0,
                  min_df: int = 2, raw_ngrams: bool = False,
                  spacy_features: bool = True, raw_asserted: bool = False,
                  windowed: bool = False, window_stride: int = 20) -> FeatureUnion:
    """The feature union that follows :class:`SpacyFeaturizer`.

    ``raw_ngrams``: word 1-2 grams of the raw text (what the baseline uses);
    ``spacy_features``: the scope-marked lemma n-grams and the rule features;
    ``raw_asserted``: the raw n-grams leave out question sentences (asked, not reported).
    """
    parts = []
    if raw_ngrams and windowed:
        parts.append(("raw", WindowedTfidf("raw", stride=window_stride, min_df=min_df)))
    elif raw_ngrams:
        parts.append(("raw", make_pipeline(
            FunctionTransformer(asserted_texts_of if raw_asserted else texts_of),
            TfidfVectorizer(ngram_range=(1, 2), min_df=min_df, sublinear_tf=True,
                            dtype=np.float32))))
    if spacy_features:
        parts += [
            ("terms", WindowedTfidf("terms", stride=window_stride, min_df=min_df) if windowed else
             TfidfVectorizer(analyzer=terms_and_bigrams, min_df=min_df,
                             sublinear_tf=True, dtype=np.float32)),
            ("rules", make_pipeline(FunctionTransformer(rules_of),
                                    DictVectorizer(dtype=np.float32))),
        ]
    if char_ngrams:
        parts.append(("chars", make_pipeline(
            FunctionTransformer(texts_of),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=3, lowercase=True,
                            sublinear_tf=True, max_features=60_000, dtype=np.float32))))
    if not parts:
        raise ValueError("no features: enable raw_ngrams, spacy_features or char_ngrams")
    return FeatureUnion(parts, transformer_weights={"rules": rule_weight} if spacy_features
                        else {})


def window_spans(n: int, width: int, stride: int) -> list[tuple[int, int]]:
    """Overlapping windows over n items; one window when n <= width."""
    if n <= width:
        return [(0, n)]
    spans = [(s, s + width) for s in range(0, n - width + 1, stride)]
    if spans[-1][1] < n:
        spans.append((n - width, n))
    return spans


def max_pool_rows(W, groups: np.ndarray, n_groups: int):
    """Element-wise maximum of the rows of sparse ``W`` that share a group."""
    import scipy.sparse as sp

    coo = W.tocoo()
    n_features = W.shape[1]
    keys = groups[coo.row].astype(np.int64) * n_features + coo.col
    order = np.argsort(keys, kind="stable")
    keys, data = keys[order], coo.data[order]
    if len(keys) == 0:
        return sp.csr_matrix((n_groups, n_features), dtype=W.dtype)
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    values = np.maximum.reduceat(data, starts)
    uniq = keys[starts]
    return sp.csr_matrix((values, (uniq // n_features, uniq % n_features)),
                         shape=(n_groups, n_features))


def _words_of(analysis) -> list[str]:
    # Tokenised once per post (not once per window): lower-cased words of 2+ characters,
    # as scikit-learn's default token pattern gives them.
    return _TOKEN.findall(asserted_text(analysis.text).lower())


def _terms_of(analysis) -> list[str]:
    return analysis.terms


def _list_ngrams(items) -> list[str]:
    return items + [f"{a} {b}" for a, b in zip(items, items[1:])]


class WindowedTfidf(TransformerMixin, BaseEstimator):
    """TF-IDF of overlapping windows of a post, max-pooled into one row per post.

    A long post that says "the pay is very low" once, among many other things, keeps
    that phrase's full weight instead of having it diluted by the post's length; a post
    no longer than one window gets exactly its plain TF-IDF row.
    """

    def __init__(self, source="terms", width=40, stride=20, min_df=2):
        self.source = source
        self.width = width
        self.stride = stride
        self.min_df = min_df

    def _items(self, X):
        get = _terms_of if self.source == "terms" else _words_of
        return [get(a) for a in X]

    def fit(self, X, y=None):
        if self.source not in ("terms", "raw"):
            raise ValueError("source must be 'terms' or 'raw'")
        self.vectorizer_ = TfidfVectorizer(analyzer=_list_ngrams, min_df=self.min_df,
                                           sublinear_tf=True, dtype=np.float32)
        self.vectorizer_.fit(self._items(X))
        return self

    def transform(self, X):
        check_is_fitted(self)
        windows, groups = [], []
        width = self.width
        for i, items in enumerate(self._items(X)):
            if len(items) <= width:
                windows.append(items)
                groups.append(i)
                continue
            for s, e in window_spans(len(items), width, self.stride):
                windows.append(items[s:e])
                groups.append(i)
        W = self.vectorizer_.transform(windows)
        return max_pool_rows(W, np.asarray(groups), len(X))
