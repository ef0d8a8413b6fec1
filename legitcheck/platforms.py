"""The platform alias table and its context rules: the one place that knows platform names.

Extend ``PLATFORMS`` to teach legitcheck a new platform; nothing else needs to change.

How ambiguous aliases are handled: an alias in ``aliases`` counts wherever it appears
(case-insensitive, as a whole word). An alias in ``ambiguous`` is also an ordinary word or
abbreviation ("DA" = district attorney, "outlier" = an unusual value, "a prolific writer",
"a hybrid job"), so it counts only when
  1. it is written exactly as listed when the entry is cased ("DA", "Turk"), or in any case
     when it is listed in lower case, and
  2. it is not preceded by a word that makes it an ordinary noun or adjective
     ("a", "an", "very", "so", ...; for a word written in lower case also "the", "is", ...),
     nor followed by one that does ("Hybrid work", "Surge pricing", "DA of Manhattan"), and
  3. another platform is named unambiguously in the same post, or a work-context word
     (tasks, project, assessment, paid, dashboard, HITs, ...) stands within
     ``CONTEXT_WINDOW`` characters on either side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Platform:
    name: str
    aliases: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()


PLATFORMS: tuple[Platform, ...] = (
    Platform(
        "DataAnnotation",
        (
            "dataannotation",
            "dataannotation.tech",
            "data annotation tech",
            "data annotation.tech",
            "data-annotation.tech",
        ),
        ("DA", "DAT", "Data Annotation"),
    ),
    Platform("Outlier", ("outlier.ai", "outlier ai"), ("outlier",)),
    Platform("Remotasks", ("remotasks", "remotask", "remo tasks")),
    Platform("Scale AI", ("scale ai", "scale.ai", "scaleai", "scale labs"), ("Scale",)),
    Platform("Appen", ("appen", "appen connect", "crowdgen")),
    Platform(
        "Amazon Mechanical Turk",
        (
            "mturk",
            "m-turk",
            "m turk",
            "mechanical turk",
            "amazon mechanical turk",
            "turker",
            "turkers",
            "turking",
            "mturker",
            "mturkers",
        ),
        ("Turk", "AMT"),
    ),
    Platform("Prolific", ("prolific.co", "prolific.com", "prolific academic"), ("prolific",)),
    Platform("Toloka", ("toloka", "toloka.ai")),
    Platform("Clickworker", ("clickworker", "click worker", "clickworkers")),
    Platform(
        "TELUS International",
        ("telus international", "telus ai", "telus digital", "telus", "lionbridge"),
    ),
    Platform("Upwork", ("upwork",)),
    Platform("Surge AI", ("surge ai", "surgehq", "surge hq", "surgeai"), ("Surge",)),
    Platform("Taskup.ai", ("taskup.ai", "taskup")),
    Platform("Gethybrid.io", ("gethybrid", "gethybrid.io", "hybrid.io"), ("Hybrid",)),
    Platform("Alignerr", ("alignerr",)),
    Platform("Mercor", ("mercor",)),
    Platform(
        "Invisible Technologies",
        ("invisible technologies", "invisible tech", "invisibletech"),
        ("Invisible",),
    ),
)

PLATFORM_NAMES: tuple[str, ...] = tuple(p.name for p in PLATFORMS)

CONTEXT_WINDOW = 120
# Words that make an ambiguous alias a platform name when they stand near it.
WORK_CONTEXT = frozenset(
    [
        "task",
        "tasks",
        "tasking",
        "tasker",
        "taskers",
        "project",
        "projects",
        "assessment",
        "assessments",
        "onboarding",
        "qual",
        "quals",
        "qualification",
        "qualifications",
        "dashboard",
        "hit",
        "hits",
        "batch",
        "batches",
        "pay",
        "pays",
        "paid",
        "payout",
        "payouts",
        "paying",
        "payment",
        "payments",
        "earn",
        "earned",
        "earnings",
        "worker",
        "workers",
        "work",
        "working",
        "account",
        "accounts",
        "platform",
        "platforms",
        "site",
        "job",
        "jobs",
        "gig",
        "gigs",
        "annotation",
        "annotator",
        "annotators",
        "rater",
        "raters",
        "rating",
        "eq",
        "queue",
        "study",
        "studies",
        "survey",
        "surveys",
        "requester",
        "requesters",
        "support",
        "hourly",
        "hr",
        "hour",
        "reviewer",
        "reviewers",
        "starter",
        "deactivated",
        "banned",
        "legit",
        "scam",
        "recruiter",
        "recruiters",
        "tax",
        "ai",
        "rlhf",
        "training",
        "coding",
        "paypal",
        "payoneer",
        "balance",
        "cashout",
        "withdrew",
        "withdraw",
        "withdrawal",
        "income",
        "total",
        "rejected",
        "accepted",
        "approved",
        "hired",
        "interview",
        "onboarded",
        "label",
        "labeling",
        "labelling",
        "dashboard",
        "discord",
        "side",
        "hustle",
    ]
)
ORDINARY_PRECEDERS = frozenset(
    ["a", "an", "very", "so", "most", "more", "quite", "too", "such", "statistical", "extremely"]
)
# Extra preceders for an alias written in lower case ("the outlier on my team").
LOWERCASE_PRECEDERS = ORDINARY_PRECEDERS | frozenset(
    ["the", "is", "was", "are", "were", "be", "been", "being"]
)
ORDINARY_FOLLOWERS = frozenset(
    [
        "work",
        "working",
        "role",
        "roles",
        "job",
        "jobs",
        "schedule",
        "schedules",
        "model",
        "models",
        "car",
        "cars",
        "vehicle",
        "cloud",
        "approach",
        "setup",
        "position",
        "positions",
        "pricing",
        "protector",
        "protection",
        "of",
        "office",
        "up",
    ]
)

_WORD = re.compile(r"[a-z]+")


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern, re.Pattern, dict[str, tuple[str, bool]]]:
    """Two alternations, longest alias first: one over the lower-cased text for aliases that
    match in any case, one over the original text for cased ambiguous aliases ("DA").
    Returns them with a map alias -> (canonical name, ambiguous)."""
    table: dict[str, tuple[str, bool]] = {}
    any_case, cased = set(), set()
    for p in PLATFORMS:
        for a in p.aliases:
            table[a.lower()] = (p.name, False)
            any_case.add(a.lower())
        for a in p.ambiguous:
            table[a] = (p.name, True)
            (cased if a != a.lower() else any_case).add(a)

    def alternation(aliases: set[str]) -> re.Pattern:
        body = "|".join(
            re.escape(a).replace(r"\ ", r"[\s-]+") for a in sorted(aliases, key=len, reverse=True)
        )
        return re.compile(rf"(?<![\w.])(?:{body})(?!\w|\.\w)")

    return alternation(any_case), alternation(cased), table


def _in_context(text: str, start: int, end: int, others_named: bool) -> bool:
    before = _WORD.findall(text[max(0, start - 30) : start].lower())
    preceders = LOWERCASE_PRECEDERS if text[start:end].islower() else ORDINARY_PRECEDERS
    if before and before[-1] in preceders:
        return False
    after = _WORD.findall(text[end : end + 30].lower())
    if after and after[0] in ORDINARY_FOLLOWERS:
        return False
    if others_named:
        return True
    window = text[max(0, start - CONTEXT_WINDOW) : end + CONTEXT_WINDOW].lower()
    return any(w in WORK_CONTEXT for w in _WORD.findall(window))


def find_platforms(text: str) -> list[tuple[int, int, str]]:
    """Every platform mention in ``text`` as (start, end, canonical name), in text order."""
    any_case, cased, table = _patterns()
    matches = [(m, m.group(0).lower()) for m in any_case.finditer(text.lower())]
    matches += [(m, m.group(0)) for m in cased.finditer(text)]
    entries = [(m, table[re.sub(r"[\s-]+", " ", raw)]) for m, raw in matches]
    sure = {name for _, (name, ambiguous) in entries if not ambiguous}
    found = []
    for m, (name, ambiguous) in entries:
        if ambiguous and not _in_context(text, m.start(), m.end(), bool(sure - {name})):
            continue
        found.append((m.start(), m.end(), name))
    found.sort()
    return found


def platforms_in(text: str) -> tuple[str, ...]:
    """Canonical names of the platforms ``text`` names, each once, in order of first mention."""
    return tuple(dict.fromkeys(name for _, _, name in find_platforms(text)))
