"""Reading and writing tables: formats, text columns, encodings, atomic writes."""

import json
import os

import pandas as pd
import pytest
from conftest import write_csv

from legitcheck._errors import InputError
from legitcheck._io import (
    TableReader,
    TableWriter,
    atomic_path,
    default_output_path,
    detect_format,
    find_text_source,
    first_bad_byte,
)


def read_all(path, **kw):
    with TableReader(str(path), **kw) as r:
        return r.columns, pd.concat(list(r.chunks()) or [pd.DataFrame(columns=r.columns)])


@pytest.mark.parametrize("name,fmt", [("a.csv", "csv"), ("a.TSV", "tsv"), ("a.jsonl", "jsonl"),
                                      ("a.parquet", "parquet"), ("-", "csv")])
def test_detect_format(name, fmt):
    assert detect_format(name) == fmt


def test_unknown_format_names_the_file():
    with pytest.raises(InputError, match=r"posts\.xlsx: unknown file format '\.xlsx'"):
        detect_format("posts.xlsx")


@pytest.mark.parametrize("columns,expected", [
    (["id", "Text"], ("Text",)),
    (["title", "selftext", "score"], ("title", "selftext")),
    (["Title", "body"], ("Title", "body")),
    (["body"], ("body",)),
    (["COMMENT", "x"], ("COMMENT",)),
])
def test_text_column_found_by_name(columns, expected):
    assert find_text_source(columns).columns == expected


def test_missing_text_column_lists_the_columns():
    with pytest.raises(InputError, match=r"f\.csv: no text column .* columns found: id, score"):
        find_text_source(["id", "score"], path="f.csv")
    with pytest.raises(InputError, match=r"no column 'msg'; columns found: id, text"):
        find_text_source(["id", "text"], "msg")
    assert find_text_source(["ID", "Msg"], "msg").columns == ("Msg",)


def test_title_and_body_are_joined_skipping_empty_parts():
    src = find_text_source(["title", "selftext"])
    frame = pd.DataFrame({"title": ["T", "T2", None], "selftext": ["B", "", "B3"]})
    assert src.texts(frame) == ["T\n\nB", "T2", "B3"]


def test_csv_cells_are_kept_exactly(tmp_path):
    p = write_csv(tmp_path / "x.csv", [{"id": "007", "text": "NA", "n": ""}])
    cols, df = read_all(p)
    assert cols == ["id", "text", "n"]
    assert df.iloc[0].tolist() == ["007", "NA", ""]


def test_chunks_keep_order_and_count(tmp_path):
    rows = [{"id": str(i), "text": f"post {i}"} for i in range(23)]
    p = write_csv(tmp_path / "x.csv", rows)
    with TableReader(str(p), chunk_rows=5) as r:
        chunks = list(r.chunks())
    assert [len(c) for c in chunks] == [5, 5, 5, 5, 3]
    assert pd.concat(chunks)["id"].tolist() == [str(i) for i in range(23)]


def test_jsonl_and_parquet_and_tsv(tmp_path):
    df = pd.DataFrame({"id": [1, 2], "text": ["a", "b"]})
    (tmp_path / "x.jsonl").write_text("\n".join(json.dumps(r) for r in df.to_dict("records")))
    df.to_parquet(tmp_path / "x.parquet")
    df.to_csv(tmp_path / "x.tsv", sep="\t", index=False)
    for name in ("x.jsonl", "x.parquet", "x.tsv"):
        cols, out = read_all(tmp_path / name)
        assert cols == ["id", "text"] and out["text"].tolist() == ["a", "b"]


def test_bad_json_line_is_named(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"text": "ok"}\n{"text": oops}\n')
    with pytest.raises(InputError, match=r"x\.jsonl: invalid JSON Lines on line 2"):
        read_all(p)


def test_wrong_encoding_names_the_byte_offset(tmp_path):
    p = tmp_path / "latin.csv"
    p.write_bytes("id,text\n1,caf\xe9 pay\n".encode("latin-1"))
    assert first_bad_byte(str(p), "utf-8") == 13
    with pytest.raises(InputError, match=r"latin\.csv: not valid utf-8 at byte 13; .*--encoding"):
        read_all(p)
    cols, df = read_all(p, encoding="latin-1")
    assert df["text"].tolist() == ["café pay"]


def test_utf8_bom_is_not_part_of_the_first_column(tmp_path):
    p = tmp_path / "bom.csv"
    p.write_bytes("\ufefftext,id\nhello,1\n".encode())
    assert read_all(p)[0] == ["text", "id"]


@pytest.mark.parametrize("content,match", [
    (b"", "the file is empty"),
    (b'id,text\n1,"unclosed\n', "malformed CSV"),
])
def test_empty_and_malformed_csv(tmp_path, content, match):
    p = tmp_path / "bad.csv"
    p.write_bytes(content)
    with pytest.raises(InputError, match=match):
        read_all(p)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        TableReader(str(tmp_path / "nope.csv"))
    (tmp_path / "d.csv").mkdir()
    with pytest.raises(InputError, match="is a folder"):
        TableReader(str(tmp_path / "d.csv"))


def test_header_only_csv_has_columns_and_no_rows(tmp_path):
    p = tmp_path / "h.csv"
    p.write_text("id,text\n")
    cols, df = read_all(p)
    assert cols == ["id", "text"] and len(df) == 0


def test_atomic_path_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_text("half")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert os.listdir(tmp_path) == ["out.csv"]


def test_writer_formats_round_trip(tmp_path):
    df = pd.DataFrame({"id": ["1", "2"], "text": ["a", "b"]})
    for name in ("o.csv", "o.tsv", "o.jsonl", "o.parquet"):
        with TableWriter(str(tmp_path / name)) as w:
            w.write(df.iloc[:1])
            w.write(df.iloc[1:])
        assert read_all(tmp_path / name)[1]["text"].tolist() == ["a", "b"]


def test_default_output_path():
    assert default_output_path("dir/posts.csv") == "dir/posts.signals.csv"
    assert default_output_path("-") == "-"
