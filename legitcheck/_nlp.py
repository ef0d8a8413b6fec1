"""The spaCy step: a blank English pipeline plus legitcheck's rule components.

Components, in order (each a registered spaCy factory, so the pipeline is rebuilt from its
settings and never pickled):

``legitcheck_normalizer``
    lower-cases, lemmatises with the lookup table of spacy-lookups-data (or with the
    pipeline's own lemmas when a pretrained pipeline is used) and folds numbers and URLs.
    Lemmas are looked up once per distinct word and cached: per-token Python is the
    expensive part of a spaCy step (see ../shared/PERFORMANCE.md).
``legitcheck_platforms``
    platform mentions, from the alias table in :mod:`legitcheck.platforms`.
``legitcheck_money``
    pay rates, money amounts and payment methods (:mod:`legitcheck._extract`).
``legitcheck_scope``
    marks the words inside a negation ("never got paid" -> ``NEG_get NEG_pay``), a
    question sentence (``Q_``) or an if-clause (``IF_``), so that a denied, asked or
    hypothetical complaint gives other features than a reported one. spaCy's blank
    pipeline has no parser, so scopes follow cue words up to the clause end.

The components pass their results along in ``doc.user_data`` (keys ``lc_*``), which costs
less than spaCy's ``doc._`` extensions. The result of the step for one post is a
:class:`PostAnalysis`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from ._extract import PayRate, find_pay_rates, find_payment_methods
from .platforms import find_platforms

NEGATION_CUES = frozenset(
    [
        "not",
        "no",
        "never",
        "without",
        "nobody",
        "nothing",
        "none",
        "neither",
        "nor",
        "cannot",
        "cant",
        "dont",
        "didnt",
        "doesnt",
        "havent",
        "hasnt",
        "hadnt",
        "wont",
        "wasnt",
        "werent",
        "isnt",
        "arent",
        "aint",
        "couldnt",
        "wouldnt",
        "shouldnt",
        "nope",
    ]
)
# Words that end a negation scope early (besides punctuation and line breaks).
SCOPE_BREAKS = frozenset(
    [
        "but",
        "however",
        "though",
        "although",
        "yet",
        "except",
        "and",
        "so",
        "because",
        "cause",
        "while",
        "whereas",
    ]
)
HYPOTHETICAL_CUES = frozenset(["if", "unless", "whether", "suppose", "supposing"])
SENTENCE_ENDS = frozenset([".", "!", "?", "<nl>", "...", "…", "!!", "??", "?!", "!?"])
CLAUSE_ENDS = SENTENCE_ENDS | frozenset([",", ";", ":", "-", "—", "–", "(", ")"])
KEPT_SYMBOLS = frozenset(["?", "!", "$", "£", "€", "₹"])

_NUMBER = re.compile(r"^[\d.,:/]*\d[\d.,:/]*(k|m|st|nd|rd|th|s|am|pm|hrs?|h)?$")
_MONEY = re.compile(
    r"(?:[$£€₹₱₦]\s?\d|\d\s?(?:usd|gbp|eur|dollars|bucks|rupees|ksh|kes)\b)", re.IGNORECASE
)
_MONEY_AMOUNT = re.compile(r"[$£€₹₱₦]\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?\s?(k)?", re.IGNORECASE)

LOW_HOURLY_USD = 10.0
GOOD_HOURLY_USD = 15.0


@dataclass(slots=True)
class PostAnalysis:
    """What the spaCy step knows about one post."""

    terms: list[str]
    rules: dict[str, float]
    platforms: tuple[str, ...] = ()
    pay_rates: tuple[PayRate, ...] = ()
    payment_methods: tuple[str, ...] = ()
    text: str = field(default="", repr=False)


@lru_cache(maxsize=1)
def lemma_table():
    """English lookup lemmas from spacy-lookups-data (a spaCy ``Table``: ``.get(word)``)."""
    from spacy.lookups import load_lookups

    return load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")


def normal_form(lower: str, lemmas) -> str:
    """The feature form of one lower-cased token ('' for tokens that carry nothing)."""
    if lower.isspace() or not lower:
        return "<nl>" if "\n" in lower else ""
    lower = lower.replace("’", "'")
    if lower in ("n't", "nt"):
        return "not"
    if lower.startswith(("http", "www.")):
        return "<url>"
    if _NUMBER.match(lower):
        return "<num>"
    if not any(c.isalnum() for c in lower):
        if lower in KEPT_SYMBOLS or lower in SENTENCE_ENDS or lower in CLAUSE_ENDS:
            return lower
        if "?" in lower:
            return "?"
        if "!" in lower:
            return "!"
        return "" if not any(c in lower for c in ".,;:") else "."
    if lower.endswith("'s") and len(lower) > 2:
        lower = lower[:-2]
    return lemmas.get(lower, lower)


def _register_components() -> None:
    from spacy.language import Language

    @Language.factory("legitcheck_normalizer", default_config={"use_pipeline_lemmas": False})
    def make_normalizer(nlp, name, use_pipeline_lemmas: bool):
        return Normalizer(use_pipeline_lemmas)

    @Language.factory("legitcheck_platforms")
    def make_platforms(nlp, name):
        return platform_component

    @Language.factory("legitcheck_money")
    def make_money(nlp, name):
        return money_component

    @Language.factory(
        "legitcheck_scope",
        default_config={"negation_window": 5, "mark_questions": True, "mark_hypotheticals": True},
    )
    def make_scope(nlp, name, negation_window: int, mark_questions: bool, mark_hypotheticals: bool):
        return Scope(negation_window, mark_questions, mark_hypotheticals)


class Normalizer:
    def __init__(self, use_pipeline_lemmas: bool):
        self.use_pipeline_lemmas = use_pipeline_lemmas
        self.lemmas = lemma_table()
        # Keyed by the LOWER hash of a word: each distinct word is normalised once.
        self.cache: dict[int, str] = {}

    def __call__(self, doc):
        data = doc.user_data
        if self.use_pipeline_lemmas and doc.has_annotation("LEMMA"):
            data["lc_norms"] = [normal_form(t.lemma_.lower(), {}) for t in doc]
        else:
            from spacy.attrs import LOWER

            cache, strings = self.cache, doc.vocab.strings
            norms = []
            for h in doc.to_array(LOWER).tolist():
                form = cache.get(h)
                if form is None:
                    form = normal_form(strings[h], self.lemmas)
                    if len(cache) < 500_000:
                        cache[h] = form
                norms.append(form)
            data["lc_norms"] = norms
        data["lc_rules"] = {}
        return doc


def platform_component(doc):
    data = doc.user_data
    found = find_platforms(data["lc_text"])
    names = tuple(dict.fromkeys(name for _, _, name in found))
    data["lc_platforms"] = names
    rules = data["lc_rules"]
    for name in names:
        rules["platform=" + name] = 1.0
    return doc


def money_component(doc):
    data = doc.user_data
    text = data["lc_text"]
    rates = tuple(find_pay_rates(text)) if _MONEY.search(text) or "cent" in text else ()
    methods = find_payment_methods(text)
    data["lc_pay_rates"] = rates
    data["lc_methods"] = methods
    rules = data["lc_rules"]
    for rate in rates:
        rules["rate_unit=" + rate.unit] = 1.0
        hourly = rate.usd_per_hour
        if hourly is not None:
            bucket = (
                "low" if hourly < LOW_HOURLY_USD else "good" if hourly >= GOOD_HOURLY_USD else "mid"
            )
            rules["rate_hourly=" + bucket] = 1.0
        elif rate.unit == "task" and rate.amount * _usd(rate) < 1.0:
            rules["rate_task=cents"] = 1.0
    for m in _MONEY_AMOUNT.finditer(text):
        rules["money"] = 1.0
        value = float(m.group(1).replace(",", "")) * (1000 if m.group(2) else 1)
        if value >= 100:
            rules["money>=100"] = 1.0
    for method in methods:
        rules["method=" + method] = 1.0
    return doc


def _usd(rate: PayRate) -> float:
    from ._extract import USD_PER_UNIT

    return USD_PER_UNIT.get(rate.currency, 1.0)


class Scope:
    def __init__(self, negation_window: int, mark_questions: bool, mark_hypotheticals: bool):
        self.negation_window = negation_window
        self.mark_questions = mark_questions
        self.mark_hypotheticals = mark_hypotheticals

    def __call__(self, doc):
        data = doc.user_data
        data["lc_terms"], scope_rules = mark_scopes(
            data["lc_norms"], self.negation_window, self.mark_questions, self.mark_hypotheticals
        )
        data["lc_rules"].update(scope_rules)
        return doc


QUESTION_ENDS = frozenset(["?", "??", "?!", "!?"])


def mark_scopes(
    norms: list[str],
    negation_window: int = 5,
    mark_questions: bool = True,
    mark_hypotheticals: bool = True,
) -> tuple[list[str], dict[str, float]]:
    """Turn normalised tokens into feature terms with scope prefixes, plus scope rules."""
    n = len(norms)
    present = set(norms)
    prefix = [""] * n
    rules: dict[str, float] = {}
    # Most posts have no question, no if and no negation: each pass runs only when needed.
    if present & QUESTION_ENDS:
        sentences = questions = 0
        start = 0
        for i in range(n + 1):
            if i == n or norms[i] in SENTENCE_ENDS:
                if i < n or any(norms[start:i]):
                    sentences += 1
                    if i < n and norms[i] in QUESTION_ENDS:
                        questions += 1
                        if mark_questions:
                            prefix[start:i] = ["Q_"] * (i - start)
                start = i + 1
        rules["has_question"] = 1.0
        if questions == sentences:
            rules["only_questions"] = 1.0
    if mark_hypotheticals and present & HYPOTHETICAL_CUES:
        rules["has_if_clause"] = 1.0
        for i, w in enumerate(norms):
            if w in HYPOTHETICAL_CUES:
                j = i + 1
                while j < n and norms[j] not in CLAUSE_ENDS and norms[j] != "then":
                    if not prefix[j]:
                        prefix[j] = "IF_"
                    j += 1
    if present & NEGATION_CUES:
        rules["has_negation"] = 1.0
        for i, w in enumerate(norms):
            if w in NEGATION_CUES and (not mark_hypotheticals or w not in HYPOTHETICAL_CUES):
                j, taken = i + 1, 0
                while j < n and taken < negation_window:
                    nxt = norms[j]
                    if nxt in CLAUSE_ENDS or nxt in SCOPE_BREAKS:
                        break
                    if nxt:
                        prefix[j] = "NEG_"
                        taken += 1
                    j += 1
    if any(prefix):
        terms = [p + w for p, w in zip(prefix, norms) if w and (w not in CLAUSE_ENDS or w == "?")]
    else:
        terms = [w for w in norms if w and (w not in CLAUSE_ENDS or w == "?")]
    words = len(terms)
    rules["length=" + ("short" if words < 15 else "long" if words > 120 else "medium")] = 1.0
    return terms, rules


class TextKeepingTokenizer:
    """Wraps a tokenizer to keep the input string on the Doc.

    ``doc.text`` rebuilds the string token by token, which costs more than tokenising; the
    rule components read the original string from ``doc.user_data["lc_text"]`` instead.
    """

    def __init__(self, tokenizer):
        self.tokenizer = tokenizer

    def __call__(self, text: str):
        doc = self.tokenizer(text)
        doc.user_data["lc_text"] = text
        return doc


def build_nlp(
    spacy_model: str | None = None,
    negation_window: int = 5,
    mark_questions: bool = True,
    mark_hypotheticals: bool = True,
):
    """Build the spaCy step from its settings.

    ``spacy_model=None`` gives ``spacy.blank("en")``; a name loads an installed pretrained
    pipeline (its parser and NER are disabled: only its lemmas are used).
    """
    import spacy

    _register_components()
    if spacy_model:
        try:
            nlp = spacy.load(spacy_model, exclude=["ner", "parser", "senter"])
        except OSError as exc:
            from ._errors import ModelError

            raise ModelError(
                f"spaCy pipeline {spacy_model!r} is not installed; install it or leave "
                "--spacy-model out to use the blank English pipeline"
            ) from exc
        use_lemmas = "lemmatizer" in nlp.pipe_names
    else:
        nlp = spacy.blank("en")
        use_lemmas = False
    nlp.tokenizer = TextKeepingTokenizer(nlp.tokenizer)
    nlp.add_pipe("legitcheck_normalizer", config={"use_pipeline_lemmas": use_lemmas})
    nlp.add_pipe("legitcheck_platforms")
    nlp.add_pipe("legitcheck_money")
    nlp.add_pipe(
        "legitcheck_scope",
        config={
            "negation_window": negation_window,
            "mark_questions": mark_questions,
            "mark_hypotheticals": mark_hypotheticals,
        },
    )
    return nlp


def analyse(nlp, texts, batch_size: int = 256) -> list[PostAnalysis]:
    """Run the spaCy step over ``texts`` (already strings) and collect one analysis each."""
    out = []
    for doc in nlp.pipe(texts, batch_size=batch_size):
        d = doc.user_data
        out.append(
            PostAnalysis(
                d["lc_terms"],
                d["lc_rules"],
                d["lc_platforms"],
                d["lc_pay_rates"],
                d["lc_methods"],
                d["lc_text"],
            )
        )
    return out
