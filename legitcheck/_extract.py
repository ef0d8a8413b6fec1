"""Rule-based field extraction from raw text: stated pay rates and payment methods.

Pure functions over strings; the spaCy step (``_nlp``) calls them and turns their results
into rule features, and the predictor returns them as extracted fields.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

UNITS = ("hour", "task", "day", "week", "month", "total")


@dataclass(frozen=True)
class PayRate:
    amount: float
    currency: str  # ISO 4217 code
    unit: str  # one of UNITS

    def __str__(self) -> str:
        return f"{self.amount:g} {self.currency}/{self.unit}"

    @property
    def usd_per_hour(self) -> float | None:
        """A rough US-dollar hourly figure, for rule features only (fixed, approximate rates)."""
        if self.unit != "hour":
            return None
        return self.amount * USD_PER_UNIT.get(self.currency, 1.0)


# Approximate, fixed conversion used only to bucket rates as low or high in features.
USD_PER_UNIT = {"USD": 1.0, "GBP": 1.27, "EUR": 1.08, "INR": 0.012, "KES": 0.0077,
                "PHP": 0.017, "NGN": 0.00065, "CAD": 0.73, "AUD": 0.65, "PKR": 0.0036}

_CURRENCY_WORDS = {
    "$": "USD", "us$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD",
    "buck": "USD", "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP",
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "₹": "INR", "inr": "INR",
    "rs": "INR", "rs.": "INR", "rupee": "INR", "rupees": "INR", "kes": "KES", "ksh": "KES",
    "ksh.": "KES", "shillings": "KES", "₱": "PHP", "php": "PHP", "pesos": "PHP", "₦": "NGN",
    "ngn": "NGN", "naira": "NGN", "cad": "CAD", "c$": "CAD", "aud": "AUD", "a$": "AUD",
    "pkr": "PKR", "ca$": "CAD", "au$": "AUD", "bob": "KES",
}
# Sub-units: amount is divided by 100.
_SUBUNITS = {"cent": "USD", "cents": "USD", "¢": "USD", "penny": "USD", "pennies": "USD",
             "p": "GBP", "pence": "GBP"}
_UNIT_WORDS = {
    "hour": "hour", "hours": "hour", "hr": "hour", "hrs": "hour", "h": "hour", "hourly": "hour",
    "task": "task", "tasks": "task", "hit": "task", "hits": "task", "item": "task",
    "items": "task", "survey": "task", "surveys": "task", "study": "task", "question": "task",
    "submission": "task", "label": "task", "image": "task", "each": "task", "file": "task",
    "files": "task", "page": "task", "video": "task", "clip": "task", "prompt": "task",
    "response": "task", "conversation": "task", "transcript": "task", "recording": "task",
    "images": "task", "videos": "task", "labels": "task",
    "day": "day", "days": "day", "daily": "day", "week": "week", "weekly": "week", "wk": "week",
    "month": "month", "monthly": "month", "mo": "month", "total": "total",
    "altogether": "total",
}

_PRE = (r"(?P<pre>us\$|ca\$|au\$|c\$|a\$|\$|£|€|₹|₱|₦|usd|gbp|eur|inr|kes|ksh\.?|php|ngn|cad|aud"
        r"|pkr|rs\.?)")
_AMT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+"
_POST = (r"(?P<post>usd|gbp|eur|inr|kes|ksh|php|ngn|cad|aud|pkr|dollars?|bucks?|pounds?|quid"
         r"|euros?|rupees?|shillings|pesos|naira|bob|cents?|pennies|penny|pence|¢|\$|€|£|₹|p)")
_UNIT = (r"(?:\s*(?:/|per|an?|each|every|for\s+(?:the|each|every)|for\s+an?(?=\s+\d))\s*|\s*)"
         r"(?:\d+[-\s]?(?:min(?:ute)?s?|hours?|hrs?|sec(?:ond)?s?)\s+)?"
         r"(?P<unit>hours?|hrs?|h|tasks?|hits?|items?|surveys?|study|question|submission"
         r"|labels?|images?|files?|page|videos?|clip|prompt|response|conversation|transcript"
         r"|recording|days?|weeks?|wk|months?|mo)\b"
         r"(?!\s+(?:ago|later|earlier|late)\b)"
         r"|\s*(?P<unit2>hourly|daily|weekly|monthly|each)\b"
         r"|\s+(?:in\s+)?(?P<unit3>total|altogether)\b")
_RANGE_SEP = r"\s*(?:-|–|—|to)\s*"

PAY_RATE_PATTERN = re.compile(
    rf"(?<![\w.,])(?:{_PRE}\s?(?P<a1>{_AMT})(?P<k1>k)?(?:{_RANGE_SEP}(?:\$|£|€|₹|₱|₦)?\s?(?P<a2>{_AMT})(?P<k2>k)?)?"
    rf"|(?P<b1>{_AMT})(?P<kb1>k)?(?:{_RANGE_SEP}(?P<b2>{_AMT})(?P<kb2>k)?)?\s?{_POST})"
    rf"(?:{_UNIT})",
    re.IGNORECASE,
)

_METHODS = (
    ("PayPal", r"pay\s?pal|paypal's"),
    ("bank transfer", r"bank\s+transfers?|direct\s+deposits?|wire\s+transfers?|bank\s+deposits?|ach"
                      r"|(?:to|into)\s+(?:my|your|her|his|their|our)\s+bank(?:\s+accounts?)?"),
    ("Payoneer", r"payoneer"),
    ("gift card", r"(?:amazon\s+|itunes\s+|apple\s+|google\s+play\s+|steam\s+)?gift\s?cards?"),
    ("crypto", r"crypto(?:currency)?|usdt|bitcoin|btc|ethereum|eth|tether|binance|trc-?20"),
    ("check", r"cheques?|(?:paper|fake|fake-looking|cashier'?s|physical|bounced|by"
              r"|(?:mailed|sent|send|sends|gave)(?:\s+(?:me|you|her|him|them))?\s+an?(?:\s+[\w-]+)?)"
              r"\s+checks?"),
    ("Venmo", r"venmo"),
    ("Wise", r"transferwise"),
)
# Matched on the lower-cased text (much faster than re.IGNORECASE).
_METHOD_PATTERN = re.compile(
    r"\b(?:" + "|".join(f"(?P<m{i}>{pat})" for i, (_, pat) in enumerate(_METHODS)) + r")(?!\w)"
)
# "wise" is an ordinary word: Wise counts only capitalised and next to a money word.
_WISE = re.compile(r"(?:(?<=via )|(?<=through )|(?<=to )|(?<=my )|(?<=with )|(?<=or )|(?<=and )"
                   r"|(?<=, ))Wise\b"
                   r"|\bWise(?=\s+(?:account|transfer|card))")


TOTAL_FIRST_PATTERN = re.compile(
    rf"\btotal(?:\s+(?:of|is|was|so\s+far|:))?\s*:?\s*{_PRE}\s?(?P<a1>{_AMT})(?P<k1>k)?(?![\w.,]\d)",
    re.IGNORECASE,
)


def _amount(raw: str, k: str | None) -> float:
    value = float(raw.replace(",", ""))
    return value * 1000 if k else value


def find_pay_rates(text: str) -> list[PayRate]:
    """Every stated pay rate (amount per unit of work or time), a range giving both ends."""
    rates: list[tuple[int, PayRate]] = []
    for m in TOTAL_FIRST_PATTERN.finditer(text):
        currency = _CURRENCY_WORDS[m.group("pre").lower()]
        rates.append((m.start(), PayRate(_amount(m.group("a1"), m.group("k1")), currency, "total")))
    for m in PAY_RATE_PATTERN.finditer(text):
        unit_word = (m.group("unit") or m.group("unit2") or m.group("unit3")).lower()
        unit = _UNIT_WORDS[unit_word]
        if m.group("pre"):
            currency = _CURRENCY_WORDS[m.group("pre").lower()]
            amounts = [_amount(m.group("a1"), m.group("k1"))]
            if m.group("a2"):
                amounts.append(_amount(m.group("a2"), m.group("k2")))
            divisor = 1
        else:
            post = m.group("post").lower()
            if post in _SUBUNITS:
                currency, divisor = _SUBUNITS[post], 100
            else:
                currency, divisor = _CURRENCY_WORDS[post], 1
            if post == "p" and unit_word == "h":
                continue  # "5ph" and the like: too ambiguous
            amounts = [_amount(m.group("b1"), m.group("kb1"))]
            if m.group("b2"):
                amounts.append(_amount(m.group("b2"), m.group("kb2")))
        for a in amounts:
            rates.append((m.start(), PayRate(round(a / divisor, 4), currency, unit)))
    rates.sort(key=lambda r: r[0])
    return [r for _, r in rates]


# Cheap substring tests first: most posts name no payment method, and the full pattern
# costs several times more than these.
_METHOD_HINTS = ("pal", "bank", "deposit", "wire", "payoneer", "gift", "crypto", "usdt", "bitcoin",
                 "btc", "tether", "binance", "trc", "cheque", "check", "venmo", "wise")
_SHORT_METHOD_WORDS = re.compile(r"\b(?:eth|ach)\b")


def find_payment_methods(text: str) -> tuple[str, ...]:
    """Payment methods named in ``text``, each once, in order of first mention."""
    lower = text.lower()
    if not any(h in lower for h in _METHOD_HINTS) and not _SHORT_METHOD_WORDS.search(lower):
        return ()
    found = [(m.start(), _METHODS[int(m.lastgroup[1:])][0])
             for m in _METHOD_PATTERN.finditer(lower)]
    if "Wise" in text:
        found += [(m.start(), "Wise") for m in _WISE.finditer(text)]
        found.sort()
    return tuple(dict.fromkeys(name for _, name in found))
