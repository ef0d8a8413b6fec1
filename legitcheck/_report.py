"""The per-platform legitimacy report: shares of posts per signal, with Wilson intervals.

``summarize`` reads tagged posts (``classify`` output, or raw posts that it classifies on
the fly) in chunks and returns one row per group: by default per platform named, plus
``(none named)`` and ``(all)``. A post that names two platforms counts for both.
``write_report`` also writes summary.csv/json, a self-contained index.html and
heatmap.png.

The shares describe what people chose to write, not a survey of all workers.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ._defaults import CHUNK_ROWS
from ._errors import InputError
from ._io import TableReader, atomic_path, find_text_source
from .signals import SIGNALS

ALL = "(all)"
NONE_NAMED = "(none named)"
Z95 = 1.959963984540054
EXAMPLES_PER_CELL = 3
EXAMPLE_CHARS = 280
DATE_COLUMNS = ("date", "created_utc", "created", "timestamp", "time", "created_at")
_RATE = re.compile(r"^([\d.]+) ([A-Z]{3})/hour$")


def wilson_interval(k: int, n: int, z: float = Z95) -> tuple[float, float]:
    """95% Wilson score interval for k successes out of n (0, 0 when n is 0)."""
    if n == 0:
        return 0.0, 0.0
    p = k / n
    denom = 1 + z * z / n
    center = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, center - half), min(1.0, center + half)


@dataclass
class _Group:
    posts: int = 0
    counts: dict = field(default_factory=lambda: defaultdict(int))
    hourly: dict = field(default_factory=lambda: defaultdict(list))
    examples: dict = field(default_factory=lambda: defaultdict(list))


def _month_of(values):
    import pandas as pd

    s = pd.Series(values)
    if pd.api.types.is_numeric_dtype(s) or s.astype(str).str.fullmatch(r"\d{9,11}(\.\d+)?").all():
        dates = pd.to_datetime(pd.to_numeric(s, errors="coerce"), unit="s", errors="coerce")
    else:
        dates = pd.to_datetime(s, errors="coerce", utc=True, format="mixed")
    return ["(no date)" if pd.isna(d) else f"{d.year:04d}-{d.month:02d}" for d in dates]


def _group_keys(chunk, by: str | None, date_column: str | None) -> list[list[str]]:
    if by is None:
        cells = chunk["platforms"].tolist()
        keys = []
        for cell in cells:
            names = [p for p in ("" if cell != cell else str(cell)).split(";") if p]
            keys.append(names or [NONE_NAMED])
        return keys
    if by == "month":
        return [[m] for m in _month_of(chunk[date_column].tolist())]
    return [["(empty)" if v is None or v != v or str(v) == "" else str(v)] for v in chunk[by]]


def summarize(path, *, by: str | None = None, min_posts: int = 1, model=None,
              text_column: str | None = None, encoding: str = "utf-8",
              chunk_rows: int = CHUNK_ROWS, progress=None, _examples=None):
    """One row per group with post counts, signal shares, 95% Wilson intervals and the
    median stated hourly rate per currency. Groups with fewer than ``min_posts`` posts are
    left out (``(all)`` always stays)."""
    import pandas as pd

    labels = [s.name for s in SIGNALS]
    groups: dict[str, _Group] = defaultdict(_Group)
    predictor = None
    with TableReader(str(path), encoding=encoding, chunk_rows=chunk_rows) as reader:
        columns = reader.columns
        tagged = "signals" in columns and all(lab in columns for lab in labels)
        source = find_text_source(columns, text_column, str(path))
        date_column = None
        if by == "month":
            lower = {c.lower(): c for c in columns}
            date_column = next((lower[c] for c in DATE_COLUMNS if c in lower), None)
            if date_column is None:
                raise InputError(f"{path}: --by month needs a date column "
                                 f"({', '.join(DATE_COLUMNS)}); columns found: "
                                 f"{', '.join(columns)}")
        elif by is not None and by not in columns:
            raise InputError(f"{path}: no column {by!r} to group by; columns found: "
                             f"{', '.join(columns)}")
        if not tagged:
            from ._predictor import load_predictor

            predictor = load_predictor(model)
        rows = 0
        for chunk in reader.chunks():
            if predictor is not None:
                chunk = predictor._annotate(chunk, source, scores=False, fields=True)
            texts = source.texts(chunk)
            flags = {lab: chunk[lab].astype(str).isin(["1", "1.0", "True", "true"]).tolist()
                     for lab in labels}
            rates = chunk["pay_rates"].tolist() if "pay_rates" in chunk else [""] * len(chunk)
            for i, keys in enumerate(_group_keys(chunk, by, date_column)):
                hourly = []
                cell = rates[i]
                for part in ("" if cell != cell else str(cell)).split(";"):
                    m = _RATE.match(part.strip())
                    if m:
                        hourly.append((m.group(2), float(m.group(1))))
                for key in (*keys, ALL):
                    g = groups[key]
                    g.posts += 1
                    for cur, amount in hourly:
                        g.hourly[cur].append(amount)
                    for lab in labels:
                        if flags[lab][i]:
                            g.counts[lab] += 1
                            ex = g.examples[lab]
                            text = texts[i].strip()
                            if len(ex) < EXAMPLES_PER_CELL and text and key != ALL:
                                ex.append(text[:EXAMPLE_CHARS]
                                          + ("…" if len(text) > EXAMPLE_CHARS else ""))
            rows += len(chunk)
            if progress:
                progress(rows, reader.bytes_read, reader.size)
    if not groups:
        raise InputError(f"{path}: no posts to report on")
    records = []
    for key, g in groups.items():
        if g.posts < min_posts and key != ALL:
            continue
        rec = {"group": key, "posts": g.posts}
        for lab in labels:
            k = g.counts[lab]
            low, high = wilson_interval(k, g.posts)
            rec[f"{lab}_share"] = round(k / g.posts, 4)
            rec[f"{lab}_ci_low"] = round(low, 4)
            rec[f"{lab}_ci_high"] = round(high, 4)
        for cur, values in sorted(g.hourly.items()):
            rec[f"median_hourly_{cur}"] = float(pd.Series(values).median())
            rec[f"hourly_rates_{cur}"] = len(values)
        records.append(rec)
        if _examples is not None:
            _examples[key] = dict(g.examples)
    frame = pd.DataFrame(records)
    special = frame["group"].isin([ALL, NONE_NAMED])
    ordered = frame[~special].sort_values(["posts", "group"], ascending=[False, True])
    frame = pd.concat([ordered, frame[special].sort_values("group", ascending=False)])
    return frame.reset_index(drop=True).fillna({c: 0 for c in frame.columns
                                                if c.startswith("hourly_rates_")})


def _heatmap_png(frame, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError("the heat map needs matplotlib: pip install 'legitcheck[report]'") \
            from None
    from .signals import FAMILIES

    ordered = [s for fam in FAMILIES for s in SIGNALS if s.family == fam]
    rows = frame[frame["group"] != ALL]
    values = rows[[f"{s.name}_share" for s in ordered]].to_numpy()
    fig_h = 1.2 + 0.38 * max(len(rows), 1)
    fig, ax = plt.subplots(figsize=(11, fig_h), dpi=110)
    im = ax.imshow(values, cmap="YlOrRd", vmin=0, vmax=max(0.5, float(values.max() or 0)),
                   aspect="auto")
    ax.set_xticks(range(len(ordered)), [s.name.replace("_", " ") for s in ordered],
                  rotation=40, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [f"{g} ({n})" for g, n in zip(rows["group"], rows["posts"])],
                  fontsize=8)
    bounds, start = [], 0
    for fam in FAMILIES:
        size = sum(1 for s in ordered if s.family == fam)
        ax.text(start + size / 2 - 0.5, -0.8, fam, ha="center", fontsize=9, weight="bold")
        start += size
        bounds.append(start - 0.5)
    for b in bounds[:-1]:
        ax.axvline(b, color="black", linewidth=1.2)
    for i in range(values.shape[0]):
        for j in range(values.shape[1]):
            ax.text(j, i, f"{values[i, j]:.0%}", ha="center", va="center", fontsize=6.5,
                    color="black")
    fig.colorbar(im, ax=ax, fraction=0.025, label="share of posts")
    ax.set_title("Share of posts reporting each signal, by platform (posts in brackets)",
                 fontsize=10, pad=22)
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", bbox_inches="tight")
    plt.close(fig)


def _html(frame, examples, png: bytes | None) -> str:
    import base64

    from .signals import FAMILIES

    ordered = [s for fam in FAMILIES for s in SIGNALS if s.family == fam]
    e = html.escape
    head = "".join(f"<th title='{e(s.definition)}'>{e(s.name.replace('_', ' '))}</th>"
                   for s in ordered)
    body = []
    for _, row in frame.iterrows():
        cells = []
        for s in ordered:
            share = row[f"{s.name}_share"]
            shade = int(255 - min(share, 0.6) / 0.6 * 160)
            cells.append(f"<td style='background:rgb(255,{shade},{shade})' title='95% CI "
                         f"{row[f'{s.name}_ci_low']:.0%} to {row[f'{s.name}_ci_high']:.0%}'>"
                         f"{share:.0%}</td>")
        body.append(f"<tr><th>{e(str(row['group']))}</th><td>{int(row['posts'])}</td>"
                    + "".join(cells) + "</tr>")
    ex_html = []
    for group, by_signal in examples.items():
        if not by_signal:
            continue
        items = []
        for s in ordered:
            posts = by_signal.get(s.name, [])
            if posts:
                quotes = "".join(f"<blockquote>{e(p)}</blockquote>" for p in posts)
                items.append(f"<h4>{e(s.name)}</h4>{quotes}")
        ex_html.append(f"<details><summary>{e(group)}</summary>{''.join(items)}</details>")
    img = (f"<img alt='heat map' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
           if png else "")
    style = ("body{font-family:sans-serif;margin:2em;max-width:1400px}table{border-collapse:"
             "collapse;font-size:12px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:"
             "center}blockquote{margin:.3em 0 .3em 1em;padding-left:.6em;border-left:3px solid"
             " #ccc;font-size:13px;white-space:pre-wrap}img{max-width:100%}")
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>legitcheck report</title>"
        f"<style>{style}</style></head><body><h1>legitcheck report</h1>"
        "<p>Share of posts in which legitcheck found each signal, per group. Hover a cell "
        "for its 95% Wilson interval. The posts are what people chose to write (self-"
        "selected, and tagged by a model that makes mistakes); the shares are not a survey "
        "of all workers on a platform.</p>"
        f"<table><tr><th>group</th><th>posts</th>{head}</tr>{''.join(body)}</table>"
        f"{img}<h2>Example posts</h2>{''.join(ex_html)}</body></html>"
    )


def write_report(path, out_dir, *, by: str | None = None, min_posts: int = 1, model=None,
                 text_column: str | None = None, encoding: str = "utf-8", heatmap: bool = True,
                 progress=None):
    """Write summary.csv, summary.json, index.html and heatmap.png into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    examples: dict = {}
    frame = summarize(path, by=by, min_posts=min_posts, model=model, text_column=text_column,
                      encoding=encoding, progress=progress, _examples=examples)
    with atomic_path(out / "summary.csv") as tmp:
        frame.to_csv(tmp, index=False)
    with atomic_path(out / "summary.json") as tmp:
        tmp.write_text(json.dumps(frame.to_dict(orient="records"), indent=1), encoding="utf-8")
    png = None
    if heatmap:
        _heatmap_png(frame, out / "heatmap.png")
        png = (out / "heatmap.png").read_bytes()
    kept = {g: examples.get(g, {}) for g in frame["group"] if g != ALL}
    with atomic_path(out / "index.html") as tmp:
        tmp.write_text(_html(frame, kept, png), encoding="utf-8")
    return frame
