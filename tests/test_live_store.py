"""The live round's store (cli/serve/store.py) on a real SQLite file: nothing acknowledged is
ever lost (a server killed mid-round, reopened), the latest entry is the one judged, what it
keeps is checked, and it feeds the judge grade --teams uses."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import threading

import pytest
from conftest import LESSON

from cli.serve.store import MAX_NAME, Refused, Store
from grader.course.loader import load_course
from grader.teams.entered import judge
from grader.teams.roster import Member, Team
from reference.course.model import Model

POINT = {"x1": 1.0, "x2": 2.0, "x3": 3.0, "w1": 0.1, "w2": 0.2, "w3": 0.3, "gold": 1.0}
MEMBERS = [("red", "ann", "A"), ("red", "bob", "B"), ("red", "cat", "C"), ("red", "dan", "G")]


def test_entries_outlive_the_store_and_the_latest_is_judged(tmp_path):
    store = Store(tmp_path / "round.db")
    made = store.create("digest", POINT, MEMBERS)
    store.enter(made.id, "ann", "A", "A", 0.5)
    store.enter(made.id, "ann", "A", "A", 0.1)  # corrected: the board shows the latest
    store.close()
    again = Store(tmp_path / "round.db")
    assert again.latest(made.id) == {("ann", "A", "A"): 0.1}
    assert again.members(made.id) == MEMBERS
    assert again.round(made.id).point == POINT and again.round(made.id).course == "digest"
    with sqlite3.connect(tmp_path / "round.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 2  # history kept


def test_a_server_killed_mid_round_loses_no_acknowledged_entry(tmp_path):
    """A child writes entries, says each sequence number once it is acknowledged, and is
    killed with SIGKILL in the middle: every number it said is in the file."""
    db = tmp_path / "round.db"
    made = Store(db).create("digest", POINT, MEMBERS)
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from cli.serve.store import Store\n"
        f"store = Store(Path({str(db)!r}))\n"
        "for i in range(100000):\n"
        f"    seq = store.enter({made.id!r}, 'ann', 'A', 'A', float(i))\n"
        "    print(seq, flush=True)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=LESSON.parents[2]
    )
    assert child.stdout is not None
    said = [int(child.stdout.readline()) for _ in range(200)]
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    with sqlite3.connect(db) as conn:
        kept = {row[0] for row in conn.execute("SELECT seq FROM entries")}
    assert set(said) <= kept and len(said) == 200


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), -float("inf"), True, "0.5", None, [1.0]]
)
def test_only_a_finite_number_is_kept(tmp_path, value):
    store = Store(tmp_path / "round.db")
    made = store.create("digest", POINT, MEMBERS)
    with pytest.raises(Refused):
        store.enter(made.id, "ann", "A", "A", value)
    store.enter(made.id, "ann", "A", "A", -0.25)  # the twin: a number is kept
    assert store.latest(made.id) == {("ann", "A", "A"): -0.25}


def test_names_are_bounded_and_a_round_must_exist(tmp_path):
    store = Store(tmp_path / "round.db")
    made = store.create("digest", POINT, MEMBERS)
    with pytest.raises(Refused):
        store.enter(made.id, "x" * (MAX_NAME + 1), "A", "A", 1.0)
    with pytest.raises(Refused):
        store.enter(made.id, "", "A", "A", 1.0)
    with pytest.raises(KeyError):
        store.enter("no-such-round", "ann", "A", "A", 1.0)
    with pytest.raises(KeyError):
        store.round("no-such-round")
    store.enter(made.id, "x" * MAX_NAME, "A", "A", 1.0)  # the twin, at the bound


def test_join_codes_and_ids_are_unguessable_and_distinct(tmp_path):
    store = Store(tmp_path / "round.db")
    rounds = [store.create("digest", POINT, MEMBERS) for _ in range(50)]
    codes = {r.join_code for r in rounds} | {r.id for r in rounds}
    assert len(codes) == 100 and min(len(c) for c in codes) >= 12


def test_volunteers_writing_at_once_are_all_kept(tmp_path):
    store = Store(tmp_path / "round.db")
    made = store.create("digest", POINT, MEMBERS)

    def volunteer(name: str) -> None:
        for i in range(150):
            store.enter(made.id, name, "A", f"q{i}", float(i))

    threads = [threading.Thread(target=volunteer, args=(n,)) for n in ("ann", "bob", "cat")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(store.latest(made.id)) == 450


def test_the_store_feeds_the_judge(tmp_path):
    """What volunteers entered, read back, judged as grade --teams judges it."""
    course = load_course(LESSON / "course.yml")
    model: Model = course.model
    store = Store(tmp_path / "round.db")
    made = store.create("digest", POINT, MEMBERS)
    import numpy as np

    truth = model.trace({k: np.array([v]) for k, v in POINT.items()})
    for _, student, node in MEMBERS:
        store.enter(made.id, student, node, node, float(truth.values[node][0]))
    store.enter(made.id, "ann", "A", "A", float(truth.values["A"][0]) + 1.0)  # then a slip
    team = Team("red", tuple(Member(*m, i) for i, m in enumerate(MEMBERS, 2)))
    result = judge(course, team, store.round(made.id).point, store.latest(made.id))
    by = {(x.node, x.direction): x.status for x in result.links}
    assert by["A", "forward"] == "wrong" and by["B", "forward"] == "right"
    assert by["G", "forward"] == "wrong"  # G entered the true sum, not what it received
