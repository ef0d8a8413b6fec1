"""README.md examples run, and its signal table matches the signal module."""

import re
import subprocess
import sys

from conftest import ROOT

from legitcheck.signals import SIGNALS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_python_examples_run_and_print_what_the_comments_say(capsys):
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})
        printed = capsys.readouterr().out.splitlines()
        expected = re.findall(r"print\(.*\)\s+# (.+)", block)
        assert printed == expected


def test_signal_table_matches_the_signal_module():
    rows = re.findall(r"^\| `([a-z_]+)` \| ([a-z ]+) \| (.+) \|$", README, flags=re.MULTILINE)
    table = [(name, family, definition) for name, family, definition in rows
             if "|" not in definition and family.strip() in ("labor", "scam", "good standing")]
    assert table == [(s.name, s.family, s.definition) for s in SIGNALS]


def test_sample_command_from_the_readme(tmp_path):
    assert "legitcheck classify examples/posts.csv" in README
    out = tmp_path / "posts.signals.csv"
    res = subprocess.run([sys.executable, "-m", "legitcheck", "classify",
                          str(ROOT / "examples" / "posts.csv"), "-o", str(out), "-q"],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    assert out.read_text().count("\n") == 9  # header + 8 posts
