"""The spaCy step: normalisation, lemmas, scopes, rule features."""

import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.exceptions import NotFittedError

from legitcheck._features import SpacyFeaturizer, as_texts
from legitcheck._nlp import analyse, build_nlp, mark_scopes


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def terms(nlp, text):
    return analyse(nlp, [text])[0].terms


def test_blank_english_pipeline_with_rule_components(nlp):
    assert nlp.pipe_names == ["legitcheck_normalizer", "legitcheck_platforms",
                              "legitcheck_money", "legitcheck_scope"]


def test_lookup_lemmas_and_number_folding(nlp):
    assert terms(nlp, "Tasks paid 3 times") == ["task", "pay", "<num>", "time"]


def test_negation_changes_the_features(nlp):
    assert "pay" in terms(nlp, "I got paid")
    negated = terms(nlp, "I never got paid")
    assert "NEG_pay" in negated and "pay" not in negated
    assert "NEG_pay" in terms(nlp, "didn't get paid")  # n't split by the tokenizer
    assert "NEG_pay" in terms(nlp, "didnt get paid")


def test_negation_scope_ends_at_clause_breaks(nlp):
    t = terms(nlp, "I was not paid but they deactivated me")
    assert "NEG_pay" in t and "deactivate" in t and "NEG_deactivate" not in t


def test_questions_and_if_clauses_are_marked(nlp):
    assert "Q_deactivate" in terms(nlp, "Has anyone been deactivated?")
    assert "IF_ban" in terms(nlp, "If they ban you, you lose everything")
    a = analyse(nlp, ["Has anyone been deactivated?"])[0]
    assert a.rules["only_questions"] == 1.0


def test_mark_scopes_can_be_switched_off():
    norms = ["be", "i", "deactivate", "?"]
    assert mark_scopes(norms, mark_questions=False)[0] == ["be", "i", "deactivate", "?"]


def test_rule_features_for_platforms_rates_and_methods(nlp):
    a = analyse(nlp, ["Outlier paid me $25/hr to my PayPal"])[0]
    assert a.platforms == ("Outlier",)
    assert [str(r) for r in a.pay_rates] == ["25 USD/hour"]
    assert a.payment_methods == ("PayPal",)
    assert {"platform=Outlier", "rate_hourly=good", "method=PayPal"} <= set(a.rules)
    low = analyse(nlp, ["3 cents a HIT"])[0]
    assert "rate_task=cents" in low.rules


def test_featurizer_follows_sklearn_conventions():
    f = SpacyFeaturizer(negation_window=3)
    assert f.get_params()["negation_window"] == 3
    with pytest.raises(NotFittedError):
        f.transform(["x"])
    assert f.fit(["a post"]) is f
    assert f.nlp_settings_["negation_window"] == 3


def test_featurizer_pickles_without_spacy_and_rebuilds_it():
    f = SpacyFeaturizer().fit(["x"])
    before = f.transform(["I never got paid by Outlier"])[0].terms
    blob = pickle.dumps(f)
    assert b"spacy.lang" not in blob and len(blob) < 5_000
    again = pickle.loads(blob)
    assert again.transform(["I never got paid by Outlier"])[0].terms == before


def test_as_texts_handles_missing_long_and_bad_input():
    assert as_texts([None, float("nan"), 3, "ok"]) == ["", "", "3", "ok"]
    assert len(as_texts(["x" * 50], max_chars=10)[0]) == 10
    with pytest.raises(TypeError):
        as_texts("a single string")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), max_size=5))
def test_any_text_goes_through_the_spacy_step(nlp, texts):
    out = analyse(nlp, texts)
    assert len(out) == len(texts)
    for a in out:
        assert all(isinstance(t, str) and t for t in a.terms)


def test_window_spans_cover_the_items():
    from legitcheck._features import window_spans

    assert window_spans(10, 40, 20) == [(0, 10)]
    assert window_spans(100, 40, 40) == [(0, 40), (40, 80), (60, 100)]


def test_max_pool_rows_takes_the_elementwise_maximum():
    import numpy as np
    import scipy.sparse as sp

    from legitcheck._features import max_pool_rows

    W = sp.csr_matrix(np.array([[0.1, 0.0, 0.5], [0.3, 0.2, 0.0], [0.0, 0.0, 0.9]]))
    pooled = max_pool_rows(W, np.array([0, 0, 1]), 3).toarray()
    assert pooled.tolist() == [[0.3, 0.2, 0.5], [0.0, 0.0, 0.9], [0.0, 0.0, 0.0]]


def test_windowed_tfidf_keeps_a_phrase_in_a_long_post(nlp):
    import numpy as np

    from legitcheck._features import WindowedTfidf

    short = "The pay is very low."
    filler = " ".join(f"Today I walked the dog number {i} around the park." for i in range(30))
    posts = analyse(nlp, [short, filler + " " + short, "the pay is fine", "very low pay"])
    w = WindowedTfidf("raw", width=40, stride=40, min_df=1).fit(posts)
    X = w.transform(posts).toarray()
    col = w.vectorizer_.vocabulary_["very low"]
    whole = WindowedTfidf("raw", width=10_000, stride=10_000, min_df=1).fit(posts)
    plain = whole.transform(posts).toarray()[1, whole.vectorizer_.vocabulary_["very low"]]
    # diluted over a 40-word window, not over the whole 300-word post
    assert X[1, col] > 1.5 * plain > 0
    # a post shorter than a window is exactly its plain TF-IDF row (same fit, same vocabulary)
    assert np.allclose(X[0], whole.transform(posts[:1]).toarray()[0])
