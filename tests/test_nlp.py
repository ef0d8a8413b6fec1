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
