"""``course gradescope``: the autograder bundle Gradescope takes, a zip of

    setup.sh         installs Python if needed, then the wheel into /autograder/venv
    run_autograder   grades /autograder/submission (publish.gradescope.run)
    wheels/          this package, as a wheel
    course/          course.yml, exercises/ and the course's own hidden/ tests

Gradescope unpacks it into /autograder/source, runs setup.sh once per image and
run_autograder (copied to /autograder/run_autograder) once per submission.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from grader.course.questions import Course
from publish import output_files
from reference.i18n import BilingualError, Text, t

SCRIPTS = ("setup.sh", "run_autograder")
WHEEL_PREFIX = "backprop_course-"
COURSE_PARTS = ("exercises", "hidden")  # folders of the course a run reads
SOURCE_IGNORE = shutil.ignore_patterns(
    ".git", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis", ".venv",
    "tests", "samples", "benchmarks",
)  # fmt: skip


class BundleError(BilingualError):
    """The bundle cannot be made: a bad --wheel or --out (usage), or no wheel to put in."""

    def __init__(self, text: Text, usage: bool = True):
        super().__init__(text)
        self.usage = usage


def check_wheel(wheel: Path) -> None:
    """``wheel`` is this package's wheel file (BundleError otherwise)."""
    if not wheel.is_file() or not wheel.name.startswith(WHEEL_PREFIX) or wheel.suffix != ".whl":
        raise BundleError(
            t("gradescope.wheel_not_wheel_this_package", wheel=wheel, wheel_prefix=WHEEL_PREFIX),
        )
    if not zipfile.is_zipfile(wheel):
        raise BundleError(t("gradescope.wheel_not_zip_file", wheel=wheel))


def build_wheel(work: Path) -> Path:
    """A wheel of this package built from the checkout it runs from (a clean copy of it)."""
    project = Path(__file__).resolve().parents[2]
    if not (project / "pyproject.toml").is_file():
        raise BundleError(
            t("gradescope.this_package_installed_not_run"),
        )
    source = work / "source"
    shutil.copytree(project, source, ignore=SOURCE_IGNORE)
    cmd = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(work / "dist")]
    # This interpreter's setuptools first (no download); if it cannot (too old, no
    # bdist_wheel), pip's isolated build, which fetches setuptools from the index.
    for isolation in (["--no-build-isolation"], []):
        done = subprocess.run([*cmd, *isolation, str(source)], capture_output=True, text=True)
        if done.returncode == 0:
            break
    wheels = sorted((work / "dist").glob(f"{WHEEL_PREFIX}*.whl"))
    if done.returncode or not wheels:
        raise BundleError(
            t("gradescope.wheel_could_not_built", done=done.stderr.strip()[-500:]),
            usage=False,
        )
    return wheels[0]


def course_files(course: Course, course_file: Path) -> dict[str, Path]:
    """Name in the bundle → file: course.yml and the folders a run reads."""
    files = {"course/course.yml": course_file}
    for part in COURSE_PARTS:
        folder = course.root / part
        if not folder.is_dir():
            continue
        for f in sorted(folder.rglob("*")):
            if f.is_file() and "__pycache__" not in f.parts and not f.is_symlink():
                files[f"course/{part}/{f.relative_to(folder).as_posix()}"] = f
    return files


def script(name: str, lang: str | None) -> str:
    text = resources.files("publish.gradescope").joinpath("files").joinpath(name).read_text("utf-8")
    return text.replace("@LANG@", f"--lang {lang}" if lang else "")


def write(
    out: Path, course: Course, course_file: Path, wheel: Path | None, lang: str | None
) -> list[str]:
    """Write the bundle to ``out``; the names it holds."""
    bad = output_files.problem(out, "--out")
    if bad is not None:
        raise BundleError(bad)
    real = output_files.target(out)
    if wheel is not None:
        check_wheel(wheel)
    with tempfile.TemporaryDirectory() as tmp:
        wheel = wheel or build_wheel(Path(tmp))
        tmp_out = output_files.temporary(real)
        try:
            with zipfile.ZipFile(tmp_out, "w", zipfile.ZIP_DEFLATED) as z:
                for name in SCRIPTS:
                    info = zipfile.ZipInfo(name)
                    info.external_attr = 0o100755 << 16  # executable, as Gradescope runs them
                    info.compress_type = zipfile.ZIP_DEFLATED
                    z.writestr(info, script(name, lang))
                z.write(wheel, f"wheels/{wheel.name}")
                for name, f in course_files(course, course_file).items():
                    z.write(f, name)
                names = z.namelist()
            output_files.replace(tmp_out, real)
        except OSError as err:
            tmp_out.unlink(missing_ok=True)
            raise BundleError(
                t("gradescope.out_cannot_written", out=out, err=err.strerror or err),
            ) from None
    return names
