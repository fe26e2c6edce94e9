"""``grade``'s outputs are a registry (cli/outputs): adding one is a module and its line.

The test adds an output the way a developer would: a module of its own (written here into a
temporary folder, imported as any module), and ``grade`` built with the registry plus it.
The new option appears in --help, its path is checked before grading like every output's,
and it receives the run's reports one at a time, in the same order and with the same scores
as the --json file of the same run.
"""

from __future__ import annotations

import importlib
import json
import sys

from click.testing import CliRunner
from conftest import LESSON

from cli.grade import command
from cli.outputs import OUTPUTS

MODULE = '''
"""``--tsv FILE``: student, tab, score: a module and nothing else."""

from cli.outputs.base import Output


class Tsv(Output):
    flag = "--tsv"
    help = "Student and score, tab-separated."

    def __init__(self, path, run):
        super().__init__(path, run)
        self.lines = []  # what this output keeps: a row a student
        self.seen = 0

    def add(self, line, mine):
        self.seen += 1
        if "submission" in line:
            self.lines.append(f"{line['student']}\\t{line['score']}\\n")

    def finish(self):
        self.path.write_text("".join(self.lines), encoding="utf-8")
'''


def _with_tsv(tmp_path, monkeypatch):
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "tsv_output.py").write_text(MODULE, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "mods"))
    module = importlib.import_module("tsv_output")
    return command((*OUTPUTS, module.Tsv))


def test_a_new_output_is_a_module_and_a_registry_line(tmp_path, monkeypatch):
    grade = _with_tsv(tmp_path, monkeypatch)
    runner = CliRunner()
    helped = runner.invoke(grade, ["--help"])
    assert helped.exit_code == 0 and "--tsv" in helped.output
    assert "Student and score, tab-separated." in helped.output
    tsv, jsonl = tmp_path / "scores.tsv", tmp_path / "grades.jsonl"
    args = [str(LESSON / "samples"), "--course", str(LESSON / "course.yml"), "--lang", "en"]
    run = runner.invoke(grade, [*args, "--tsv", str(tsv), "--json", str(jsonl)])
    assert run.exit_code == 0, run.output
    lines = [json.loads(x) for x in jsonl.read_text(encoding="utf-8").splitlines()]
    expected = "".join(f"{o['student']}\t{o['score']}\n" for o in lines)
    assert tsv.read_text(encoding="utf-8") == expected and len(lines) == 3
    # the twin: the registry without it knows no --tsv (a usage error, exit 2)
    plain = runner.invoke(command(), [*args, "--tsv", str(tsv)])
    assert plain.exit_code == 2 and "No such option '--tsv'" in plain.output
    sys.modules.pop("tsv_output", None)


def test_a_new_outputs_path_is_checked_before_grading(tmp_path, monkeypatch):
    grade = _with_tsv(tmp_path, monkeypatch)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    args = [str(LESSON / "samples" / "perfect"), "--course", str(LESSON / "course.yml")]
    run = CliRunner().invoke(grade, [*args, "--lang", "en", "--tsv", str(folder)])
    assert run.exit_code == 2
    assert f"--tsv {folder}: is a folder, not a file" in run.output
    sys.modules.pop("tsv_output", None)


def test_the_registry_makes_the_options_in_its_order():
    helped = CliRunner().invoke(command(), ["--help"]).output
    flags = [o.flag for o in OUTPUTS]
    assert flags == [
        "--json", "--csv", "--gradescope", "--canvas", "--moodle", "--html", "--similarity"
    ]  # fmt: skip
    assert [helped.index(f + " ") for f in flags] == sorted(helped.index(f + " ") for f in flags)
    # an output's own options come right after its flag
    assert helped.index("--similarity ") < helped.index("--similarity-threshold ")
