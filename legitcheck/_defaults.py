"""Defaults shared by the library, the CLI and the scripts (one place for each)."""

from __future__ import annotations

# Column names tried, in order, when the user does not name the text column.
TEXT_COLUMNS = ("text", "body", "selftext", "post", "content", "comment")
# Reddit dumps: a title plus one of these is joined into one text.
TITLE_COLUMN = "title"
TITLE_BODY_COLUMNS = ("selftext", "body")

# Labeled data: a column with separated label names, or one 0/1 column per label.
LABELS_COLUMN = "labels"
LABEL_SEPARATORS = ";|,"

CHUNK_ROWS = 5_000  # rows read, classified and written at a time
MAX_CHARS = 20_000  # a longer post is classified on this prefix
SEED = 13
CV_FOLDS = 5
OUTPUT_SUFFIX = ".signals"
