"""The label set: every signal legitcheck tags, its family and a one-line definition.

This module is the single source of truth for label names and their order (the order of
``../shared/SIGNALS.md``); everything else imports it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Signal:
    name: str
    family: str
    definition: str


SCAM = "scam"
LABOR = "labor"
GOOD_STANDING = "good standing"
FAMILIES = (SCAM, LABOR, GOOD_STANDING)

SIGNALS: tuple[Signal, ...] = (
    Signal("never_received_tasks", LABOR,
           "accepted or onboarded, then never given any paid work"),
    Signal("ghosted_after_assessment", LABOR,
           "finished the assessment or application and never heard back at all"),
    Signal("work_dried_up", LABOR,
           "paid work that existed stopped, shrank or became too scarce to rely on"),
    Signal("account_deactivated", LABOR,
           "the whole account was deactivated, banned, suspended or locked"),
    Signal("unpaid_earnings", LABOR,
           "money earned but withheld, missing, clawed back, stuck or rejected without pay"),
    Signal("support_unresponsive", LABOR,
           "support, admins or the requester gave no reply or only canned, useless ones"),
    Signal("unpaid_assessment_time", LABOR,
           "significant unpaid time on tests, qualifications or onboarding, told as a cost"),
    Signal("low_pay", LABOR,
           "very low pay: cents per task, a few dollars an hour, not worth the time"),
    Signal("disturbing_content", LABOR,
           "exposure to graphic, violent, sexual, hateful or traumatic material at work"),
    Signal("upfront_payment_requested", SCAM,
           "the 'job' asked the worker to pay: fees, kits, equipment, gift cards, crypto"),
    Signal("personal_info_requested", SCAM,
           "an unofficial contact asked for SSN, bank login, card details, ID photos"),
    Signal("payment_received", GOOD_STANDING,
           "was actually paid, or says first-hand that the platform pays reliably"),
    Signal("paid_via_paypal", GOOD_STANDING,
           "was paid through PayPal (implies payment_received)"),
    Signal("steady_work", GOOD_STANDING,
           "plenty of work, or tasks consistently available"),
    Signal("good_pay", GOOD_STANDING,
           "pay the author finds good or fair, roughly $15/hour or more"),
)

SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in SIGNALS)
SIGNAL_BY_NAME: dict[str, Signal] = {s.name: s for s in SIGNALS}

# A post that carries the key also carries every value (SIGNALS.md: "such a post also
# carries payment_received"). Applied to predictions so that output obeys the contract.
IMPLIES: dict[str, tuple[str, ...]] = {"paid_via_paypal": ("payment_received",)}


def closest_signal(name: str, candidates: tuple[str, ...] = SIGNAL_NAMES) -> str | None:
    """The valid label name closest to a misspelt one, or None when nothing is close."""
    import difflib

    found = difflib.get_close_matches(name.strip().lower(), candidates, n=1, cutoff=0.5)
    return found[0] if found else None
