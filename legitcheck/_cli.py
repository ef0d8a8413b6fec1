"""The command line: each command parses its options and calls one library function.

Heavy libraries are imported inside the commands, so ``legitcheck --help`` stays instant.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sys

import click

EXIT_USAGE = 2


class CliError(click.ClickException):
    """A one-line error and exit code 2 (usage or input problem)."""

    exit_code = EXIT_USAGE

    def show(self, file=None):
        click.echo(f"legitcheck: error: {self.format_message()}", err=True)


@contextlib.contextmanager
def _errors():
    from ._errors import LegitcheckError

    try:
        yield
    except LegitcheckError as exc:
        raise CliError(str(exc)) from None
    except BrokenPipeError:  # e.g. `legitcheck classify x.csv -o - | head`
        sys.stderr.close()
        sys.exit(0)


def _setup_logging(verbose: bool, quiet: bool) -> None:
    level = logging.INFO if verbose else logging.ERROR if quiet else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("legitcheck: %(message)s"))
    root = logging.getLogger("legitcheck")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


@contextlib.contextmanager
def _progress_bar(label: str, quiet: bool):
    """A byte-based progress bar on stderr (only when it is a terminal); yields the
    ``progress(rows, bytes_done, bytes_total)`` callback the library functions take."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(length=1, label=label, file=sys.stderr) as bar:

        def progress(rows, done, total):
            if total and done is not None:
                bar.length = total
                bar.update(done - bar.pos)

        yield progress


def _version() -> str:
    from . import __version__

    return __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=_version(), prog_name="legitcheck")
def cli():
    """Tag posts about data-annotation platforms with legitimacy signals."""


@cli.command()
@click.argument("input_path", metavar="POSTS", type=str)
@click.option("-o", "--output", default=None,
              help="Output file (default: POSTS with .signals before the extension; '-' = stdout).")
@click.option("--model", "model_path", default=None,
              help="Model file (default: the shipped model).")
@click.option("--text-column", default=None, help="Column holding the post text.")
@click.option("--scores", is_flag=True, help="Add a score_<signal> probability column per signal.")
@click.option("--no-fields", is_flag=True, help="Leave out platforms, pay_rates, payment_methods.")
@click.option("--encoding", default="utf-8", show_default=True, help="Encoding of a CSV/TSV input.")
@click.option("--format", "input_format", type=click.Choice(["csv", "tsv", "jsonl", "parquet"]),
              default=None, help="Input format (default: from the extension).")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar, no warnings.")
@click.option("--verbose", "-v", is_flag=True, help="More detail on stderr.")
def classify(input_path, output, model_path, text_column, scores, no_fields, encoding,
             input_format, jobs, quiet, verbose):
    """Tag every post in POSTS (CSV, TSV, JSON Lines, Parquet, or '-' for CSV on stdin)."""
    _setup_logging(verbose, quiet)
    with _errors():
        from ._predictor import classify_file, load_predictor

        predictor = load_predictor(model_path)
        with _progress_bar("classifying", quiet) as progress:
            summary = classify_file(
                predictor, input_path, output, text_column=text_column, encoding=encoding,
                scores=scores, fields=not no_fields, jobs=jobs, input_format=input_format,
                progress=progress)
    if not quiet and summary.output != "(stdout)":
        click.echo(f"{summary.rows} posts tagged (text: {summary.text_source}) -> "
                   f"{summary.output}", err=True)


def _metrics_table(metrics: dict) -> str:
    lines = [f"{'signal':28s} {'precision':>9s} {'recall':>7s} {'f1':>6s} {'support':>8s}"]
    for lab, m in metrics["per_label"].items():
        lines.append(f"{lab:28s} {m['precision']:9.3f} {m['recall']:7.3f} {m['f1']:6.3f} "
                     f"{m['support']:8d}")
    lines.append(f"macro-F1 {metrics['macro_f1']:.3f}   micro-F1 {metrics['micro_f1']:.3f}   "
                 f"posts {metrics['n_posts']}")
    return "\n".join(lines)


@cli.command()
@click.argument("data", nargs=-1, required=True, metavar="LABELED...")
@click.option("-o", "--output", required=True, help="Model file to write (.joblib).")
@click.option("--text-column", default=None, help="Column holding the post text.")
@click.option("--encoding", default="utf-8", show_default=True)
@click.option("--spacy-model", default=None,
              help="An installed pretrained spaCy pipeline to use instead of blank English.")
@click.option("--char-ngrams", is_flag=True, help="Add character 3-5-gram features (slower).")
@click.option("--seed", default=None, type=int, help="Random seed (default 13).")
@click.option("--no-cv", is_flag=True,
              help="Leave the cross-validated figures out (they cost next to nothing).")
@click.option("--test", "test_paths", multiple=True, help="Held-out labeled file to report on.")
@click.option("--force", is_flag=True, help="Replace an existing model file.")
@click.option("--format", "label_format", default=None,
              type=click.Choice(["table", "labelstudio-json", "labelstudio-csv", "doccano"]),
              help="Label file format (default: detected).")
@click.option("--allow-new-labels", is_flag=True,
              help="Learn label names that are not in the contract as new signals.")
@click.option("--on-conflict", type=click.Choice(["drop", "first", "union"]), default=None,
              help="What to do with a text labeled two different ways (default: error).")
@click.option("--compare", "compare_path", default=None,
              help="A model whose figures to print next to the new ones.")
@click.option("--with-default-data", is_flag=True,
              help="Train on the shipped corpus plus these files.")
@click.option("--jobs", "-j", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Processes for the per-signal fits (same model either way).")
@click.option("--verbose", "-v", is_flag=True)
def train(data, output, text_column, encoding, spacy_model, char_ngrams, seed, no_cv,
          test_paths, force, label_format, allow_new_labels, on_conflict, compare_path,
          with_default_data, jobs, verbose):
    """Train a model on labeled posts and print cross-validated per-signal figures."""
    _setup_logging(verbose, False)
    with _errors():
        from ._model import ModelConfig
        from ._training import train_model_file

        config = ModelConfig(spacy_model=spacy_model, char_ngrams=char_ngrams, n_jobs=jobs)
        if seed is not None:
            config.seed = seed
        if with_default_data:
            from ._persistence import default_corpus_path

            data = (str(default_corpus_path()), *data)
        summary = train_model_file(list(data), output, config=config, text_column=text_column,
                                   encoding=encoding, force=force, cv=not no_cv,
                                   test_paths=list(test_paths), fmt=label_format,
                                   allow_new_labels=allow_new_labels, on_conflict=on_conflict,
                                   compare=compare_path)
    click.echo(_rows_line(summary.read, summary.n_posts, summary.dropped)
               + f" -> {summary.path}")
    old = (summary.compared or {}).get("metrics", {}).get("cross_validation")
    for key, title in (("cross_validation", "cross-validated on the training data"),
                       ("test", "on the held-out files")):
        if key in summary.card["metrics"]:
            table = summary.card["metrics"][key]
            click.echo(f"\n{title}:\n" + (_compare_table(table, old)
                                            if key == "cross_validation" and old
                                            else _metrics_table(table)))


def _rows_line(read: int, kept: int, dropped: dict) -> str:
    """'read 12 rows, kept 10, dropped 2 (1 empty text, 1 repeated text)'."""
    why = ", ".join(f"{n} {reason}" for reason, n in dropped.items() if n)
    return (f"read {read} rows, kept {kept}"
            + (f", dropped {sum(dropped.values())} ({why})" if why else ""))


def _compare_table(new: dict, old: dict) -> str:
    lines = [f"{'signal':28s} {'old f1':>7s} {'new f1':>7s} {'change':>7s}"]
    for lab, m in new["per_label"].items():
        before = old["per_label"].get(lab, {}).get("f1")
        was = f"{before:7.3f}" if before is not None else f"{'(new)':>7s}"
        delta = f"{m['f1'] - before:+7.3f}" if before is not None else ""
        lines.append(f"{lab:28s} {was} {m['f1']:7.3f} {delta}")
    lines.append(f"macro-F1 {old['macro_f1']:.3f} -> {new['macro_f1']:.3f}   "
                 f"micro-F1 {old['micro_f1']:.3f} -> {new['micro_f1']:.3f}")
    return "\n".join(lines)


@cli.command()
@click.argument("input_path", metavar="POSTS")
@click.option("-n", "count", default=100, show_default=True, type=click.IntRange(1))
@click.option("-o", "--output", required=True, help="to_label.csv (or .json with "
              "--format labelstudio-json).")
@click.option("--format", "out_format", type=click.Choice(["csv", "labelstudio-json"]),
              default="csv", show_default=True)
@click.option("--model", "model_path", default=None)
@click.option("--text-column", default=None)
@click.option("--encoding", default="utf-8", show_default=True)
@click.option("--diversity", default=0.5, show_default=True, type=click.FloatRange(0, 5))
def suggest(input_path, count, output, out_format, model_path, text_column, encoding,
            diversity):
    """Pick the posts whose labels would help the model most, with its guesses pre-filled."""
    _setup_logging(False, False)
    with _errors():
        from ._io import atomic_path, same_file
        from ._predictor import load_predictor
        from ._suggest import labelstudio_tasks, suggest_posts

        if same_file(input_path, output):
            raise CliError(f"{output}: the output would overwrite the input; choose another")
        predictor = load_predictor(model_path)
        rows = suggest_posts(predictor, input_path, count, text_column=text_column,
                             encoding=encoding, diversity=diversity)
        with atomic_path(output) as tmp:
            if out_format == "csv":
                rows.to_csv(tmp, index=False)
            else:
                tmp.write_text(labelstudio_tasks(rows, predictor.labels), encoding="utf-8")
    click.echo(f"{len(rows)} posts to label -> {output}", err=True)


@cli.command()
@click.argument("data", nargs=-1, required=True, metavar="LABELED...")
@click.option("-n", "--top", default=30, show_default=True, type=click.IntRange(1))
@click.option("-o", "--output", default=None, help="Also write the full list here (CSV).")
@click.option("--text-column", default=None)
@click.option("--encoding", default="utf-8", show_default=True)
@click.option("--format", "label_format", default=None,
              type=click.Choice(["table", "labelstudio-json", "labelstudio-csv", "doccano"]))
@click.option("--on-conflict", type=click.Choice(["drop", "first", "union"]), default=None)
def audit(data, top, output, text_column, encoding, label_format, on_conflict):
    """List the labels a cross-validated model disagrees with most (likely mistakes)."""
    _setup_logging(False, False)
    with _errors():
        from ._io import atomic_path
        from ._training import audit_labels

        frame = audit_labels(list(data), top=top, text_column=text_column, encoding=encoding,
                             fmt=label_format, on_conflict=on_conflict)
        if output:
            with atomic_path(output) as tmp:
                frame.to_csv(tmp, index=False)
    for r in frame.itertuples():
        verdict = "given, model doubts it" if r.given else "missing, model expects it"
        excerpt = " ".join(r.text.split())[:90]
        click.echo(f"{r.source}  {r.label}  ({verdict}, score {r.score:.2f})  {excerpt}")


@cli.command()
@click.argument("data", nargs=-1, required=True, metavar="LABELED...")
@click.option("--model", "model_path", default=None,
              help="Model file (default: the shipped model).")
@click.option("--text-column", default=None)
@click.option("--encoding", default="utf-8", show_default=True)
@click.option("--format", "label_format", default=None,
              type=click.Choice(["table", "labelstudio-json", "labelstudio-csv", "doccano"]),
              help="Label file format (default: detected).")
@click.option("--on-conflict", type=click.Choice(["drop", "first", "union"]), default=None,
              help="What to do with a text labeled two different ways (default: error).")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def evaluate(data, model_path, text_column, encoding, label_format, on_conflict, as_json):
    """Per-signal precision, recall and F1 of a model on labeled posts."""
    _setup_logging(False, False)
    with _errors():
        from ._predictor import load_predictor
        from ._training import evaluate_predictor

        metrics = evaluate_predictor(load_predictor(model_path), list(data), text_column,
                                     encoding, fmt=label_format, on_conflict=on_conflict)
    rows = metrics["rows"]
    # The row count goes to stderr so that --json output stays one JSON document.
    click.echo(_rows_line(rows["read"], rows["kept"], rows["dropped"]), err=True)
    click.echo(json.dumps(metrics, indent=2) if as_json else _metrics_table(metrics))


@cli.command()
@click.argument("input_path", metavar="TAGGED")
@click.option("-o", "--output", "out_dir", default="report", show_default=True,
              help="Folder for summary.csv, summary.json, index.html, heatmap.png.")
@click.option("--by", default=None,
              help="Group by this column instead of platform ('month' uses a date column).")
@click.option("--min-posts", default=1, show_default=True, type=click.IntRange(1),
              help="Hide groups with fewer posts.")
@click.option("--model", "model_path", default=None,
              help="Model for raw posts (default: the shipped model).")
@click.option("--text-column", default=None)
@click.option("--encoding", default="utf-8", show_default=True)
@click.option("--no-heatmap", is_flag=True, help="Skip heatmap.png (no matplotlib needed).")
@click.option("--quiet", "-q", is_flag=True)
def report(input_path, out_dir, by, min_posts, model_path, text_column, encoding, no_heatmap,
           quiet):
    """Per-platform shares of each signal from classify output (or raw posts)."""
    _setup_logging(False, quiet)
    with _errors():
        from ._report import write_report

        with _progress_bar("reporting", quiet) as progress:
            frame = write_report(input_path, out_dir, by=by, min_posts=min_posts,
                                 model=model_path, text_column=text_column, encoding=encoding,
                                 heatmap=not no_heatmap, progress=progress)
    if not quiet:
        click.echo(f"{len(frame) - 1} groups, {int(frame['posts'].iloc[-1])} posts -> "
                   f"{out_dir}/index.html", err=True)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
def signals(as_json):
    """List the signals with their family and definition."""
    from .signals import SIGNALS

    if as_json:
        click.echo(json.dumps([s.__dict__ for s in SIGNALS], indent=2))
        return
    for s in SIGNALS:
        click.echo(f"{s.name:27s} {s.family:14s} {s.definition}")


def main():
    cli(prog_name="legitcheck")
