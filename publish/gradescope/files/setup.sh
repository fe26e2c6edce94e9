#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image: Python (from the
# image's packages, if it has no Python >= 3.10 that can make a venv), then this course package
# from the wheel beside this script, into a venv of its own, /autograder/venv.  The course
# (course.yml, exercises/, hidden/) stays in /autograder/source/course.
set -euo pipefail
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV=/autograder/venv

usable() {
    command -v python3 >/dev/null &&
        python3 -c 'import sys, ensurepip, venv; sys.exit(sys.version_info < (3, 10))' 2>/dev/null
}
if ! usable; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        python3 python3-venv python3-pip
fi
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$SOURCE"/wheels/*.whl
# The install works and the course loads: else the image fails now, not every submission.
"$VENV/bin/python" -m cli.course validate --course "$SOURCE/course" --lang en
