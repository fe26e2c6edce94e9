"""Whose work a submission is, which of its files are graded, and files that must not be trusted.

Everything goes through the real commands (``course release``, ``check.py``, ``grade``), as a
teacher meets it; expected scores come from the course, never typed.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import LESSON, command

from grader.course.loader import load_course


@pytest.fixture(scope="module")
def course():
    return load_course(LESSON / "course.yml")


@pytest.fixture(scope="module")
def total(course):
    return sum(q.points for q in course.questions if q.auto)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Releases built once: a blank one (en) and keys for the students anna and bob."""
    base = tmp_path_factory.mktemp("made")
    specs = {
        "blank": ["--lang", "en"],
        "anna": ["--lang", "en", "--solutions", "--student", "anna"],
        "bob": ["--lang", "en", "--solutions", "--student", "bob"],
    }
    procs = {
        name: subprocess.Popen(
            command("course", "release", "--out", base / name, *args),
            cwd=LESSON,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, args in specs.items()
    }
    for name, proc in procs.items():
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, f"{name}: {err}"
    return {name: base / name for name in specs}


def copy(src: Path, dst: Path, stubs_only: bool = False) -> Path:
    if stubs_only:
        dst.mkdir(parents=True)
        for f in src.glob("*.py"):
            if f.name != "check.py":
                shutil.copy(f, dst / f.name)
    else:
        shutil.copytree(src, dst)
    return dst


def grade(*args, lang="en"):
    return subprocess.run(
        command("grade", *args, "--lang", lang),
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=300,
    )


def graded(tmp_path, *args, lang="en"):
    out = tmp_path / "grades.jsonl"
    out.unlink(missing_ok=True)
    r = grade(*args, "--json", out, lang=lang)
    assert r.returncode == 0, r.stderr
    assert "Traceback" not in r.stderr, r.stderr
    return [json.loads(line) for line in out.read_text().splitlines()], r


def by_id(report):
    return {q["id"]: q for q in report["questions"]}


def zipped(folder: Path, archive: Path) -> Path:
    archive.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                z.write(f, f"{folder.name}/{f.relative_to(folder).as_posix()}")
    return archive


# --- identity ---------------------------------------------------------------------------------


def test_a_platform_renamed_zip_keeps_the_grade_its_student_txt_names(tmp_path, made, total):
    anna = copy(made["anna"], tmp_path / "anna")
    assert (anna / "student.txt").read_text().strip() == "anna"
    renamed = zipped(anna, tmp_path / "Ivanova Anna_12345_assignsubmission_file_.zip")
    (report,), r = graded(tmp_path, renamed)
    assert report["student"] == "anna"
    assert report["score"] == pytest.approx(total)
    assert any("anna" in p and "Ivanova" in p for p in report["problems"]), report["problems"]
    assert "Ivanova" in r.stderr  # the disagreement is in the terminal too
    assert report["id_source"] == "student.txt"
    assert not any("--roster" in p for p in report["problems"])
    # the twin: the same zip without student.txt is graded as its name, at other values
    (anna / "student.txt").unlink()
    plain = zipped(anna, tmp_path / "x" / "Ivanova Anna_12345_assignsubmission_file_.zip")
    (report,), r = graded(tmp_path, plain)
    assert report["student"].startswith("Ivanova") and report["score"] < total
    assert report["id_source"] == "name"
    (note,) = [p for p in report["problems"] if "--roster" in p]
    assert "the zip's name" in note and "check.py --id" in note
    assert "ids taken from" not in r.stdout  # one student: the note is under their table
    assert note.split(":")[0] in r.stdout.replace("\n", " ")


def test_check_py_id_writes_student_txt_and_a_blank_one_is_no_id(tmp_path, made):
    folder = copy(made["blank"], tmp_path / "folder-name")
    assert (folder / "student.txt").read_text().startswith("#")  # the blank form: no id
    (report,), _ = graded(tmp_path, folder)
    assert report["student"] == "folder-name" and report["problems"] == []
    r = subprocess.run(
        [sys.executable, "check.py", "--id", "anna"], cwd=folder, capture_output=True, text=True
    )
    assert r.returncode == 0, r.stderr
    assert (folder / "student.txt").read_text() == "anna\n"
    assert "student.txt" in r.stdout
    (report,), _ = graded(tmp_path, folder)
    assert report["student"] == "anna"
    bad = subprocess.run(
        [sys.executable, "check.py", "--id", "#x"], cwd=folder, capture_output=True, text=True
    )
    assert bad.returncode == 2 and (folder / "student.txt").read_text() == "anna\n"


def test_a_class_of_student_assignment_folders_gives_each_their_own_id_and_grade(
    tmp_path, made, total
):
    klass = tmp_path / "class"
    copy(made["anna"], klass / "anna" / "hw3", stubs_only=True)
    copy(made["bob"], klass / "bob" / "hw3", stubs_only=True)
    copy(made["blank"], klass / "carl" / "hw3", stubs_only=True)
    reports, _ = graded(tmp_path, klass, "--workers", "1")
    got = {o["student"]: o for o in reports}
    assert set(got) == {"anna", "bob", "carl"}
    assert got["anna"]["score"] == got["bob"]["score"] == pytest.approx(total)
    assert got["carl"]["score"] == 0
    scored = [q for q in got["carl"]["questions"] if q["status"] != "manual"]  # free text
    assert {q["status"] for q in scored} == {"missing"}


def test_two_submissions_with_one_id_are_each_graded_on_their_own_files(tmp_path, made, total):
    one = copy(made["anna"], tmp_path / "one")
    two = copy(made["blank"], tmp_path / "two")
    (two / "student.txt").write_text("anna\n")
    reports, r = graded(tmp_path, one, two, "--workers", "1")
    got = {Path(o["submission"]).name: o for o in reports}
    assert got["one"]["student"] == got["two"]["student"] == "anna"
    assert got["one"]["score"] == pytest.approx(total)
    assert got["two"]["score"] == 0
    for name in ("one", "two"):
        assert any("same student id" in p for p in got[name]["problems"]), got[name]
    assert "same student id" in r.stderr


def test_a_shared_id_is_named_in_a_few_words_per_report_and_listed_once(tmp_path, made):
    """Eight submissions with one student.txt: each report's note counts the others and names
    three (a line does not grow with the class); the terminal lists all eight once."""
    sizes = {}
    for n in (4, 8):
        klass = tmp_path / f"class{n}"
        for k in range(n):
            folder = copy(made["blank"], klass / f"s{k}", stubs_only=True)
            (folder / "student.txt").write_text("anna\n")
        reports, r = graded(tmp_path, klass, "--workers", "1")
        notes = [p for o in reports for p in o["problems"] if "same student id" in p]
        assert len(notes) == n
        assert all(f"{n - 1} other submissions have the same student id 'anna'" in p for p in notes)
        assert all(p.count("/s") <= 3 for p in notes)  # three named, the rest counted
        summary = [line for line in r.stderr.splitlines() if "is carried by" in line]
        assert len(summary) == 1 and all(f"s{k}" in summary[0] for k in range(n))
        sizes[n] = max(len(p) for p in notes)
    assert sizes[8] <= sizes[4] + 8  # the same words, longer only by a digit or a path


def test_a_roster_names_the_student_and_a_bad_roster_is_a_usage_error(tmp_path, made, total):
    anna = copy(made["anna"], tmp_path / "subm-17")
    (anna / "student.txt").unlink()
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,student\nsubm-17,anna\n")
    (report,), _ = graded(tmp_path, anna, "--roster", roster)
    assert report["student"] == "anna" and report["score"] == pytest.approx(total)
    (report,), _ = graded(tmp_path, anna)  # the twin: without the roster, the folder name
    assert report["student"] == "subm-17" and report["score"] < total
    roster.write_text("submission,student\nsubm-17,anna\nsubm-17,bob\n")
    r = grade(anna, "--roster", roster)
    assert r.returncode == 2 and f"{roster}:3:" in r.stderr and "Traceback" not in r.stderr
    roster.write_text("name,id\nsubm-17,anna\n")
    r = grade(anna, "--roster", roster)
    assert r.returncode == 2 and f"{roster}:1:" in r.stderr


def test_both_rosters_are_read_one_way(tmp_path, made):
    """--roster and --teams share one reader (grader/intake/csv_file.py): a header in any
    case, and every bad line reported at once, in the same words."""
    anna = copy(made["anna"], tmp_path / "subm-17")
    roster = tmp_path / "roster.csv"
    roster.write_text("Submission , STUDENT,Email\nsubm-17,anna,a@x.org\n")
    (report,), _ = graded(tmp_path, anna, "--roster", roster)
    assert report["student"] == "anna"
    roster.write_text("submission,student\nsubm-17,\n,bob\nsubm-17,anna\nx,\n")
    r = grade(anna, "--roster", roster)
    assert r.returncode == 2
    assert all(f"{roster}:{n}: each line needs: submission,student" in r.stderr for n in (2, 5))
    assert all(f"{roster}:{n}:" in r.stderr for n in (2, 3, 5))  # all of them, not the first
    assert f"{roster}:4:" not in r.stderr  # the twin: the good line
    teams = tmp_path / "teams.csv"
    teams.write_text("TEAM,Student,NODE\nblue,anna,\nblue,,A\n")
    r = grade(anna, "--teams", teams)
    assert r.returncode == 2
    assert all(f"{teams}:{n}: each line needs: team,student,node" in r.stderr for n in (2, 3))


# --- routes and statuses ------------------------------------------------------------------------


def test_filled_notebooks_next_to_untouched_stubs_get_the_notebooks_grade(tmp_path, made, total):
    folder = copy(made["blank"], tmp_path / "anna")
    shutil.rmtree(folder / "notebooks")
    shutil.copytree(made["anna"] / "notebooks", folder / "notebooks")
    (report,), _ = graded(tmp_path, folder)
    assert report["score"] == pytest.approx(total)
    # grading the notebooks/ folder itself: the student of the release folder, not "notebooks"
    (folder / "student.txt").write_text("anna\n")
    (report,), _ = graded(tmp_path, folder / "notebooks")
    assert report["student"] == "anna" and report["score"] == pytest.approx(total)


def test_a_class_from_one_release_mixing_doors_reads_as_each_student_worked(tmp_path, made, total):
    """The release handed in whole: untouched, filled in its notebooks only, or in its .py
    stubs only.  A release notebook is not nbgrader's: no cell rules, no "both filled"."""
    klass = tmp_path / "class"
    copy(made["blank"], klass / "blank")
    nb_only = copy(made["blank"], klass / "anna")
    shutil.rmtree(nb_only / "notebooks")
    shutil.copytree(made["anna"] / "notebooks", nb_only / "notebooks")
    (nb_only / "student.txt").write_text("anna\n")
    py_only = copy(made["blank"], klass / "bob")
    for f in made["bob"].glob("*.py"):
        shutil.copy(f, py_only / f.name)
    (py_only / "student.txt").write_text("bob\n")
    reports, r = graded(tmp_path, klass)
    by_student = {rep["student"]: rep for rep in reports}
    untouched = by_student["blank"]
    assert {q["status"] for q in untouched["questions"]} == {"missing", "manual"}
    blanks = [q for q in untouched["questions"] if q["status"] == "missing"]
    assert all(q["feedback"] == "not attempted" for q in blanks)
    assert untouched["problems"] == []
    for student in ("anna", "bob"):
        rep = by_student[student]
        assert rep["score"] == pytest.approx(total), rep
        assert rep["problems"] == [], rep["problems"]
        words = " ".join(q["feedback"] for q in rep["questions"])
        assert "nbgrader" not in words and "cell" not in words, words[:300]
    assert "nbgrader" not in r.stderr and "both" not in r.stderr
    # the twin: an nbgrader notebook keeps nbgrader's cell rules (its test cell deleted)
    nbg = json.loads((made["anna"] / "notebooks" / "A.ipynb").read_text())
    for cell in nbg["cells"]:
        question = cell["metadata"].get("course", {}).get("question")
        if question:
            cell["metadata"]["nbgrader"] = {
                "grade": False,
                "solution": True,
                "locked": False,
                "grade_id": question.replace(".", "-", 1) + "-answer",
                "schema_version": 3,
            }
    (nb_only / "notebooks" / "A.ipynb").write_text(json.dumps(nbg))
    reports, _ = graded(tmp_path, nb_only)
    words = " ".join(q["feedback"] for q in reports[0]["questions"] if q["id"].startswith("A."))
    assert "test cell" in words, words[:300]


def test_both_routes_worked_on_are_both_graded_and_the_better_kept(tmp_path, made, total):
    folder = copy(made["anna"], tmp_path / "anna")
    a = (folder / "A.py").read_text()
    (folder / "A.py").write_text(a.replace("    return x1\n", "    return w1\n", 1))
    (report,), _ = graded(tmp_path, folder)
    assert report["score"] == pytest.approx(total)  # the notebook's A is the better one
    assert any("both" in p and "A.ipynb" in p for p in report["problems"]), report["problems"]
    nb = folder / "notebooks" / "A.ipynb"
    nb.write_text(nb.read_text().replace('"    return x1"', '"    return w1"', 1))
    (report,), _ = graded(tmp_path, folder)  # the twin: both wrong the same way
    assert report["score"] < total


def test_untouched_stubs_are_missing_and_the_students_own_failures_errors(tmp_path, made):
    folder = copy(made["blank"], tmp_path / "s", stubs_only=True)
    a = (folder / "A.py").read_text()
    a = a.replace('raise NotImplementedError("dA_dx1: write your answer here")', "return 1 / 0")
    a = a.replace("    return the output of A.", "    returns the output (my note).")
    (folder / "A.py").write_text(a)
    for lang, word in (("en", "not attempted"), ("ru", "не сделано")):
        (report,), _ = graded(tmp_path, folder, lang=lang)
        qs = by_id(report)
        assert (
            qs["A.dA_dx1"]["status"] == "error"
            and "ZeroDivisionError" in qs["A.dA_dx1"]["feedback"]
        )
        # A.forward's docstring was edited, its raise NotImplementedError left: not attempted
        for qid in ("A.forward", "A.dA_dw1", "A.A_change_w1", "A.dA_dx1_formula", "B.forward"):
            assert qs[qid]["status"] == "missing", qs[qid]
            assert qs[qid]["feedback"] == word


# --- files --------------------------------------------------------------------------------------


def test_symlinks_and_special_files_in_a_submission_are_refused(tmp_path, made, total):
    bob = copy(made["bob"], tmp_path / "bob", stubs_only=True)
    cheat = copy(made["blank"], tmp_path / "cheat", stubs_only=True)
    (cheat / "A.py").unlink()
    (cheat / "A.py").symlink_to(bob / "A.py")  # another student's work
    (cheat / "B.py").unlink()
    (cheat / "B.py").symlink_to("/proc/1/environ")  # unreadable, or not a regular file
    (cheat / "C.py").unlink()
    os.mkfifo(cheat / "C.py")  # would block a plain open()
    (report,), _ = graded(tmp_path, cheat)
    qs = by_id(report)
    assert all(q["score"] == 0 for qid, q in qs.items() if qid.split(".")[0] in "ABC")
    assert sum("symbolic link" in p for p in report["problems"]) == 2, report["problems"]
    assert any("C.py" in p and "not a regular file" in p for p in report["problems"])
    klass = tmp_path / "class"
    klass.mkdir()
    (klass / "alias").symlink_to(bob)
    (report,), _ = graded(tmp_path, klass)
    assert report["score"] == 0 and "symbolic link" in report["problems"][0]


def test_a_zip_entry_that_lies_about_its_size_is_capped_not_decompressed(tmp_path):
    archive = tmp_path / "liar.zip"
    with (
        zipfile.ZipFile(archive, "w", zipfile.ZIP_BZIP2) as z,
        z.open(zipfile.ZipInfo("A.py"), "w") as f,
    ):
        for _ in range(300):  # 300 MB of text, a few hundred bytes compressed
            f.write(b"#" * (1 << 20))
    raw = bytearray(archive.read_bytes())
    small = (100).to_bytes(4, "little")
    local, central = raw.find(b"PK\x03\x04"), raw.find(b"PK\x01\x02")
    raw[local + 22 : local + 26] = small  # the entry now says it holds 100 bytes
    raw[central + 24 : central + 28] = small
    archive.write_bytes(bytes(raw))
    probe = tmp_path / "probe.py"
    probe.write_text(
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    out = tmp_path / "g.jsonl"
    r = subprocess.run(
        [sys.executable, probe, *command("grade", archive, "--json", out, "--workers", "1")],
        cwd=LESSON,
        capture_output=True,
        text=True,
        timeout=300,
    )
    peak_kb = int(r.stdout.split()[-1])
    (report,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert any("A.py" in p for p in report["problems"]), report["problems"]
    assert peak_kb < 300 * 1024  # the 300 MB were never held in memory


def test_odd_names_and_a_huge_number_in_a_notebook_are_handled(tmp_path, made, course, total):
    klass = tmp_path / "class"
    klass.mkdir()
    for name in ("=HYPERLINK(1)", "new\nline"):
        copy(made["anna"], klass / name, stubs_only=True)
    nb = copy(made["anna"], klass / "nb", stubs_only=True)
    (nb / "A.py").unlink()
    (nb / "student.txt").write_text("anna\n")
    text = (made["anna"] / "notebooks" / "A.ipynb").read_text()
    (nb / "A.ipynb").write_text(
        text.replace('"execution_count": null', '"execution_count": ' + "9" * 5000, 1)
    )
    reports, _ = graded(tmp_path, klass, "--workers", "1")
    got = {o["student"]: o for o in reports}
    assert set(got) == {"=HYPERLINK(1)", "new\\x0aline", "anna"}
    qs = by_id(got["anna"])
    a_qids = [k for k in qs if k.startswith("A.")]
    assert all(qs[k]["score"] == 0 and "number" in qs[k]["feedback"] for k in a_qids), qs
    assert got["anna"]["score"] == pytest.approx(total - sum(qs[k]["max_score"] for k in a_qids))


def test_a_folder_name_that_is_not_utf8_is_graded_as_a_clean_id(tmp_path, made, total):
    from grader.intake.submissions import read

    klass = tmp_path / "class"
    klass.mkdir()
    odd = Path(os.fsdecode(os.fsencode(klass) + b"/stu\xff\xfedent"))
    copy(made["blank"], odd, stubs_only=True)
    (odd / "student.txt").write_text("anna\n")
    for f in (made["anna"]).glob("*.py"):
        if f.name != "check.py":
            shutil.copy(f, odd / f.name)
    r = grade(klass, "--workers", "1", "--no-details")
    assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
    row = next(line for line in r.stdout.splitlines() if "anna" in line)
    assert row.split()[-2] == f"{total:g}", row  # graded as anna, at her values
    assert "stu\\xff\\xfedent" in r.stderr  # the folder's name, shown clean, disagrees
    sub = read(odd, {p.stem for p in odd.glob("*.py")})
    assert sub.digest == read(odd, {p.stem for p in odd.glob("*.py")}).digest
    (odd / "student.txt").unlink()
    sub = read(odd, {p.stem for p in odd.glob("*.py")})
    assert sub.id == "stu\\xff\\xfedent" and sub.id.encode("utf-8")


def _many(path: Path, entries: int) -> Path:
    """A valid zip of ``entries`` empty files, written as the benchmark writes it."""
    spec = importlib.util.spec_from_file_location(
        "bench_zip", Path(__file__).resolve().parents[1] / "benchmarks" / "bench_zip.py"
    )
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    bench.write_many(path, entries)
    return path


def test_a_zip_of_too_many_entries_is_refused_from_its_last_bytes(tmp_path, monkeypatch):
    """Counted from the end record (zip64's past 65,535): no entry is read, nothing listed."""
    from grader.intake import zips

    for n in (zips.MAX_ZIP_ENTRIES + 1, 70_000):  # the plain end record, then zip64's
        big = _many(tmp_path / f"{n}.zip", n)
        assert zips.declared(big)[0] == n
        with monkeypatch.context() as m:
            m.setattr(zips.zipfile, "ZipFile", None)  # never reached: not a byte of a listing
            with pytest.raises(zips.TooMany):
                zips.opened(big)
    # the twin: at the cap, the zip is opened and listed
    with zips.opened(_many(tmp_path / "cap.zip", zips.MAX_ZIP_ENTRIES)) as z:
        assert len(z.infolist()) == zips.MAX_ZIP_ENTRIES


def test_a_zip_whose_end_record_lies_about_its_count_is_still_refused(tmp_path):
    from grader.intake import zips

    liar = _many(tmp_path / "liar.zip", zips.MAX_ZIP_ENTRIES + 500)
    raw = bytearray(liar.read_bytes())
    end = raw.rfind(b"PK\x05\x06")
    raw[end + 8 : end + 12] = (10).to_bytes(2, "little") * 2  # "10 entries"
    liar.write_bytes(bytes(raw))
    assert zips.declared(liar)[0] == 10
    with pytest.raises(zips.TooMany):  # listed within MAX_CENTRAL bytes, then counted
        zips.opened(liar)


def test_a_class_with_a_million_entry_zip_grades_the_others(tmp_path, made):
    """Through the command: the zip is refused with its reason, a classmate graded as ever."""
    klass = tmp_path / "class"
    klass.mkdir()
    _many(klass / "bomb.zip", 200_000)
    copy(made["anna"], klass / "anna", stubs_only=True)
    reports, _ = graded(tmp_path, klass, "--workers", "1")
    got = {r["student"]: r for r in reports}
    assert got["anna"]["score"] > 0
    assert got["bomb"]["score"] == 0
    assert any("too many" in p for p in got["bomb"]["problems"]), got["bomb"]["problems"]
