"""The shipped default model (``default.joblib`` and its card), installed as package data."""
