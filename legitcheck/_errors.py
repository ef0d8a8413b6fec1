"""Exceptions the CLI turns into a one-line message and exit code 2."""

from __future__ import annotations


class LegitcheckError(Exception):
    """Base class: a problem the user can fix (bad input, bad option, bad model file)."""


class InputError(LegitcheckError):
    """An input file, column or row that cannot be used as given."""


class ModelError(LegitcheckError):
    """A model file that is missing, truncated, foreign or otherwise unusable."""
