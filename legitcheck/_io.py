"""Reading and writing tables: formats, text-column detection, chunking, atomic writes.

Every problem with an input becomes an :class:`InputError` whose message names the file
(and the row or column) and says what to do; the CLI prints it on one line.
"""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ._defaults import CHUNK_ROWS, OUTPUT_SUFFIX, TEXT_COLUMNS, TITLE_BODY_COLUMNS, TITLE_COLUMN
from ._errors import InputError

FORMATS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
           ".parquet": "parquet", ".pq": "parquet"}
FORMAT_NAMES = ("csv", "tsv", "jsonl", "parquet")
STDIO = "-"


def detect_format(path: str, fmt: str | None = None) -> str:
    """The table format of ``path``: given, or by extension (stdin/stdout: CSV)."""
    if fmt:
        if fmt not in FORMAT_NAMES:
            raise InputError(f"unknown format {fmt!r}; use one of {', '.join(FORMAT_NAMES)}")
        return fmt
    if path == STDIO:
        return "csv"
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        raise InputError(f"{path}: unknown file format {ext or '(no extension)'!r}; "
                         "use .csv, .tsv, .jsonl or .parquet, or name it with --format")
    return FORMATS[ext]


def _need_pyarrow(path: str):
    try:
        import pyarrow  # noqa: F401
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(f"{path}: Parquet needs pyarrow; install it with "
                         "pip install 'legitcheck[parquet]'") from None
    return pq


def first_bad_byte(path: str, encoding: str) -> int | None:
    """Byte offset of the first byte that does not decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return offset - pending + exc.start
            offset += len(chunk)
    return None


def _first_bad_json_line(path: str, encoding: str) -> tuple[int, str] | None:
    with open(path, encoding=encoding) as fh:
        for n, line in enumerate(fh, start=1):
            if line.strip():
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    return n, exc.msg
                if not isinstance(value, dict):
                    return n, "not a JSON object"
    return None


class TableReader:
    """Reads a table in chunks of rows, keeping every column as it is.

    CSV and TSV cells are read as strings, exactly as written (no NA guessing), so that the
    output repeats the input faithfully.
    """

    def __init__(self, path: str, fmt: str | None = None, encoding: str = "utf-8",
                 chunk_rows: int = CHUNK_ROWS):
        self.path = path
        self.format = detect_format(path, fmt)
        self.encoding = encoding
        self.chunk_rows = chunk_rows
        self._fh = None
        self.size: int | None = None
        if path != STDIO:
            p = Path(path)
            if not p.exists():
                raise InputError(f"{path}: no such file")
            if p.is_dir():
                raise InputError(f"{path}: is a folder, not a file")
            if not os.access(p, os.R_OK):
                raise InputError(f"{path}: cannot be read (permission denied)")
            self.size = p.stat().st_size
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(f"unknown encoding {encoding!r}; "
                             "try utf-8, latin-1 or cp1252") from None
        self._chunks = self._read()
        self._first = self._next_chunk()
        self.columns: list[str] = [str(c) for c in self._first.columns]

    @property
    def bytes_read(self) -> int | None:
        """How far into the file reading has got (for progress), when known."""
        if self._fh is None or self.path == STDIO:
            return None
        with contextlib.suppress(ValueError, OSError):
            return self._fh.tell()
        return self.size

    def _encoding(self) -> str:
        # A UTF-8 byte-order mark would otherwise end up in the first column's name.
        return "utf-8-sig" if codecs.lookup(self.encoding).name == "utf-8" else self.encoding

    def _read(self):
        import pandas as pd

        if self.format in ("csv", "tsv"):
            self._fh = sys.stdin.buffer if self.path == STDIO else open(self.path, "rb")  # noqa: SIM115
            yield from pd.read_csv(
                self._fh, sep="\t" if self.format == "tsv" else ",", dtype=str,
                keep_default_na=False, na_filter=False, chunksize=self.chunk_rows,
                encoding=self._encoding(), encoding_errors="strict")
        elif self.format == "jsonl":
            self._fh = open(self.path, "rb")  # noqa: SIM115
            reader = pd.read_json(self._fh, lines=True, chunksize=self.chunk_rows, dtype=False,
                                  encoding=self._encoding())
            yield from reader
        else:
            pq = _need_pyarrow(self.path)
            try:
                pf = pq.ParquetFile(self.path)
            except Exception as exc:
                raise InputError(f"{self.path}: not a readable Parquet file ({exc})") from None
            if pf.metadata.num_rows == 0:
                yield pf.schema_arrow.empty_table().to_pandas()
            for batch in pf.iter_batches(batch_size=self.chunk_rows):
                yield batch.to_pandas()

    def _next_chunk(self):
        import pandas as pd

        try:
            return next(self._chunks)
        except StopIteration:
            return None
        except UnicodeDecodeError:
            where = (first_bad_byte(self.path, self._encoding()) if self.path != STDIO else None)
            at = f" at byte {where}" if where is not None else ""
            raise InputError(f"{self.path}: not valid {self.encoding}{at}; give the file's "
                             "encoding with --encoding (e.g. --encoding latin-1)") from None
        except pd.errors.EmptyDataError:
            raise InputError(f"{self.path}: the file is empty (no header row)") from None
        except pd.errors.ParserError as exc:
            msg = str(exc).strip().splitlines()[-1]
            raise InputError(f"{self.path}: malformed {self.format.upper()} ({msg}); "
                             "fix or quote that row") from None
        except ValueError as exc:
            if self.format == "jsonl":
                bad = _first_bad_json_line(self.path, self._encoding())
                where = f" on line {bad[0]} ({bad[1]})" if bad else f" ({exc})"
                raise InputError(f"{self.path}: invalid JSON Lines{where}; each line must be "
                                 "one JSON object") from None
            raise

    def chunks(self) -> Iterator:
        """Yield the table as DataFrames of at most ``chunk_rows`` rows, in order."""
        import pandas as pd

        if self._first is None:
            if self.format == "jsonl":
                raise InputError(f"{self.path}: the file is empty (no JSON objects)")
            return
        chunk, start = self._first, 0
        while chunk is not None:
            chunk = chunk.reset_index(drop=True)
            chunk.index = pd.RangeIndex(start, start + len(chunk))
            start += len(chunk)
            yield chunk
            chunk = self._next_chunk()

    def close(self):
        self._chunks.close()  # lets pandas release its reader before the file closes
        if self._fh is not None and self._fh is not sys.stdin.buffer:
            self._fh.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@dataclass(frozen=True)
class TextSource:
    """Where a table keeps its post text: one column, or a title joined to a body."""

    columns: tuple[str, ...]

    def texts(self, frame) -> list[str]:
        parts = []
        for col in self.columns:
            values = frame[col].tolist()
            parts.append(["" if v is None or v != v else str(v) for v in values])
        if len(parts) == 1:
            return parts[0]
        return ["\n\n".join(p for p in row if p) for row in zip(*parts)]

    def __str__(self) -> str:
        return " + ".join(self.columns)


def find_text_source(columns, text_column: str | None = None, path: str = "") -> TextSource:
    """Find the post text among ``columns`` (see README: by name, or ``--text-column``)."""
    columns = [str(c) for c in columns]
    lower = {c.lower(): c for c in reversed(columns)}
    where = f"{path}: " if path else ""
    found = ", ".join(columns) if columns else "(none)"
    if text_column:
        if text_column in columns:
            return TextSource((text_column,))
        if text_column.lower() in lower:
            return TextSource((lower[text_column.lower()],))
        raise InputError(f"{where}no column {text_column!r}; columns found: {found}")
    if TITLE_COLUMN in lower:
        for body in TITLE_BODY_COLUMNS:
            if body in lower:
                return TextSource((lower[TITLE_COLUMN], lower[body]))
    for name in TEXT_COLUMNS:
        if name in lower:
            return TextSource((lower[name],))
    raise InputError(f"{where}no text column (looked for {', '.join(TEXT_COLUMNS)}); "
                     f"columns found: {found}; name one with --text-column")


def default_output_path(input_path: str) -> str:
    """``posts.csv`` -> ``posts.signals.csv`` beside the input; stdin -> stdout."""
    if input_path == STDIO:
        return STDIO
    p = Path(input_path)
    return str(p.with_name(p.stem + OUTPUT_SUFFIX + p.suffix))


def same_file(a: str, b: str) -> bool:
    if STDIO in (a, b):
        return False
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    # mkstemp makes the file private (0600); give it the mode a plain open() would.
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


class TableWriter:
    """Writes DataFrame chunks to one table, atomically (stdout: streamed as CSV)."""

    def __init__(self, path: str, fmt: str | None = None):
        self.path = path
        self.format = detect_format(path, fmt)
        if self.format == "parquet":
            _need_pyarrow(path)
        self._ctx = None
        self._fh = None
        self._parquet = None
        self.rows = 0

    def __enter__(self):
        if self.path != STDIO:
            self._ctx = atomic_path(self.path)
            self._tmp = self._ctx.__enter__()
        return self

    def write(self, frame) -> None:
        if self.format in ("csv", "tsv", "jsonl") and self._fh is None:
            self._fh = (sys.stdout if self.path == STDIO
                        else open(self._tmp, "w", encoding="utf-8", newline=""))  # noqa: SIM115
        if self.format in ("csv", "tsv"):
            frame.to_csv(self._fh, sep="\t" if self.format == "tsv" else ",", index=False,
                         header=self.rows == 0, lineterminator="\n")
        elif self.format == "jsonl":
            if len(frame):
                text = frame.to_json(orient="records", lines=True, force_ascii=False)
                self._fh.write(text if text.endswith("\n") else text + "\n")
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            if self._parquet is None:
                table = pa.Table.from_pandas(frame, preserve_index=False)
                self._parquet = pq.ParquetWriter(str(self._tmp), table.schema)
            else:
                table = pa.Table.from_pandas(frame, schema=self._parquet.schema,
                                             preserve_index=False)
            self._parquet.write_table(table)
        self.rows += len(frame)

    def __exit__(self, exc_type, exc, tb):
        try:
            if self._fh is not None and self._fh is not sys.stdout:
                self._fh.close()
            elif self._fh is sys.stdout:
                sys.stdout.flush()
            if self._parquet is not None:
                self._parquet.close()
        finally:
            if self._ctx is not None:
                self._ctx.__exit__(exc_type, exc, tb)
        return False
