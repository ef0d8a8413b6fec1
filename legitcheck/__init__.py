"""legitcheck: tag what gig workers write about data-annotation platforms with legitimacy signals.

The public API is small: :func:`load_predictor` gives a :class:`Predictor`, whose
``predict`` returns one :class:`PostResult` per post. Heavy modules (spaCy, scikit-learn,
pandas) load on first use, so importing legitcheck (and ``legitcheck --help``) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("legitcheck")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "SIGNALS",
    "SIGNAL_NAMES",
    "LegitcheckError",
    "PostResult",
    "Predictor",
    "__version__",
    "load_predictor",
    "report",
]

_LAZY = {
    "SIGNALS": "legitcheck.signals",
    "SIGNAL_NAMES": "legitcheck.signals",
    "LegitcheckError": "legitcheck._errors",
    "PostResult": "legitcheck._predictor",
    "Predictor": "legitcheck._predictor",
    "load_predictor": "legitcheck._predictor",
    "report": "legitcheck._report:summarize",
}


def __getattr__(name: str):
    if name in _LAZY:
        module, _, attr = _LAZY[name].partition(":")
        value = getattr(import_module(module), attr or name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'legitcheck' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
