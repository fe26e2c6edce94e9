"""The sandbox is the trust boundary: student code can earn nothing it did not compute,
touch nothing outside, and stop nothing.  Each test plays a student who tries."""

from __future__ import annotations

import ast
import os
import resource
import signal
import socket
import sys
import textwrap
import threading
import time
import uuid
from pathlib import Path

import pytest

import grader.sandbox as api
from grader.sandbox import Limits, Outcome, Request, Sandbox

REPO = Path(__file__).resolve().parents[1]
TIMEOUT = 1.0

GOOD_A = """\
import numpy as np

def A(x1, w1):
    return x1 * w1

def dA_dw1(x1, w1):
    return x1

def dA_dx1(x1, w1):
    return np.float64(w1)

dA_dw1_formula = "x1"

def backward(x1, w1, dL_dA):
    return {"x1": dL_dA * w1, "w1": np.array(dL_dA * x1)}
"""


@pytest.fixture(scope="module")
def sb():
    with Sandbox(Limits(call_timeout=TIMEOUT)) as box:
        yield box


def run1(
    sb: Sandbox, source: str, name: str = "f", args=(1.0, 2.0), expect="number", module: str = "A"
) -> Outcome:
    return sb.run({module: textwrap.dedent(source)}, [Request(module, name, args, expect)])[0]


def parents() -> dict[int, int]:
    """pid → parent pid of every live process (zombies excluded), from /proc."""
    found: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z":
            found[int(entry)] = int(fields[1])
    return found


def children(pid: int) -> list[int]:
    return [c for c, p in parents().items() if p == pid]


def descendants(pid: int) -> list[int]:
    links = parents()
    found, frontier = [], [pid]
    while frontier:
        p = frontier.pop()
        kids = [c for c, pp in links.items() if pp == p]
        found += kids
        frontier += kids
    return found


def assert_no_children(sb: Sandbox) -> None:
    deadline = time.monotonic() + 2
    while descendants(sb.server_pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert descendants(sb.server_pid) == []


# ---------------------------------------------------------------------------- values


def test_correct_module_gives_plain_values(sb):
    reqs = [
        Request("A", "A", (2.0, 3.0)),
        Request("A", "dA_dw1", (2.0, 3.0)),
        Request("A", "dA_dx1", (2.0, 3.0)),
        Request("A", "dA_dw1_formula", None, "text"),
        Request("A", "backward", (2.0, 3.0, 0.5), "numbers"),
    ]
    out = sb.run({"A": GOOD_A}, reqs)
    assert [o.status for o in out] == ["ok"] * 5, out
    assert out[0].value == 6.0 and type(out[0].value) is float
    assert out[1].value == 2.0 and out[2].value == 3.0 and type(out[2].value) is float
    assert out[3].value == "x1"
    assert out[4].value == {"x1": 1.5, "w1": 1.0}
    assert all(type(v) is float for v in out[4].value.values())
    assert_no_children(sb)


def test_json_answers_become_plain_json(sb):
    src = """\
    import numpy as np
    a = {"b", "a", "c"}
    b = (1, 2.5, None, True)
    c = {"k": [np.int64(3), np.float32(0.5), np.bool_(False)]}
    d = object()
    e = {1: "x"}
    """
    reqs = [Request("Q", n, None, "json") for n in "abcde"]
    out = sb.run({"Q": textwrap.dedent(src)}, reqs)
    assert [o.status for o in out] == ["ok", "ok", "ok", "error", "error"], out
    assert out[0].value == ["a", "b", "c"]
    assert out[1].value == [1, 2.5, None, True]
    assert out[2].value == {"k": [3, 0.5, False]}
    assert "object" in out[3].error
    assert "key" in out[4].error


def test_text_keeps_unicode(sb):
    src = "# комментарий\nf = 'σ(G) * (1 - σ(G))'\n"
    o = sb.run({"S": src}, [Request("S", "f", None, "text")])[0]
    assert o == Outcome("ok", "σ(G) * (1 - σ(G))")


def test_modules_can_import_each_other_and_where_is_the_innermost_student_line(sb):
    files = {
        "A": "def A(x1, w1):\n    return x1 * w1\n\ndef bad(x):\n    return 1 / (x - x)\n",
        "chain": "import A\n\ndef f(x):\n    return A.A(x, 2.0) + 1\n\n"
        "def g(x):\n    return A.bad(x)\n",
    }
    out = sb.run(files, [Request("chain", "f", (3.0,)), Request("chain", "g", (3.0,))])
    assert out[0] == Outcome("ok", 7.0)
    assert out[1].status == "error"
    assert out[1].error == "ZeroDivisionError: float division by zero"
    assert out[1].where == "A.py:5"


def test_output_is_captured_per_request(sb):
    src = """\
    print("importing")
    def f(x, y):
        print("f says", x)
        return x
    def g(x, y):
        import sys
        print("g warns", file=sys.stderr)
        return y
    """
    files = {"A": textwrap.dedent(src)}
    out = sb.run(files, [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))])
    assert out[0].output == "importing\nf says 1.0\n"
    assert out[1].output == "g warns\n"


def test_terminal_escapes_are_defused(sb):
    src = "def f(x, y):\n    print('\\x1b]52;c;cm0gLXJm\\x07')\n    raise ValueError('\\x1b[2J')\n"
    o = run1(sb, src)
    assert "\x1b" not in o.output and "\x1b" not in o.error
    assert o.error == "ValueError: \\x1b[2J"


# ---------------------------------------------------------------------------- student errors


def test_syntax_error_fails_every_request_of_that_module_only(sb):
    files = {"A": "def A(x1, w1):\n    return x1 *\n", "B": "def B(x2, w2):\n    return x2\n"}
    reqs = [Request("A", "A", (1.0, 2.0)), Request("B", "B", (1.0, 2.0)), Request("A", "x")]
    out = sb.run(files, reqs)
    assert out[0].status == "error" and out[0].error.startswith("SyntaxError: ")
    assert out[0].where == "A.py:2"
    assert out[1] == Outcome("ok", 1.0)
    assert out[2].status == "error" and out[2].where == "A.py:2"


def test_missing_file_and_missing_names(sb):
    out = sb.run(
        {"A": "x = 1\n"},
        [
            Request("B", "B", (1.0, 2.0)),
            Request("A", "dA_dw1", (1.0, 2.0)),
            Request("A", "dA_dw1_formula", None, "text"),
        ],
    )
    assert out[0] == Outcome("missing", error="B.py not found")
    assert out[1] == Outcome("missing", error="A.py has no function dA_dw1")
    assert out[0].message == {"en": "B.py not found", "ru": "B.py не найден"}
    assert out[1].message["ru"] == "в A.py нет функции dA_dw1"  # made in the runner, worded here
    assert out[2].status == "missing" and "dA_dw1_formula" in out[2].error


def test_exception_carries_type_message_and_line(sb):
    src = """\
    def helper(x):
        raise ValueError("bad x: " + str(x))

    def f(x, y):
        return helper(x)
    """
    o = run1(sb, src)
    assert o.status == "error"
    assert o.error == "ValueError: bad x: 1.0"
    assert o.where == "A.py:2"


def test_not_implemented_stub_and_non_callable(sb):
    o = run1(sb, "def f(x, y):\n    raise NotImplementedError\n")
    assert o.status == "error" and o.error == "NotImplementedError" and o.where == "A.py:2"
    o = run1(sb, "f = 3.0\n")
    assert o.status == "error" and "not a function" in o.error


RIGGED = """\
class Sneaky(float):
    def __eq__(self, other):
        return True
    def __float__(self):
        return 42.0
class Floaty:
    def __float__(self):
        return 1.0
    def __eq__(self, other):
        return True
"""


@pytest.mark.parametrize(
    ("expr", "fragment"),
    [
        ("'abc'", "str 'abc'"),
        ("None", "NoneType"),
        ("float('nan')", "returned nan, expected a finite number"),
        ("float('inf')", "returned inf, expected a finite number"),
        ("-float('inf')", "returned -inf"),
        ("1 + 2j", "complex"),
        ("[1.0]", "list of 1 item"),
        ("True", "bool True"),
        ("Sneaky(1.0)", "Sneaky object"),
        ("Floaty()", "Floaty object"),
        ("__import__('numpy').bool_(True)", "numpy bool"),
        ("__import__('numpy').array([1.0, 2.0])", "numpy array of shape (2,)"),
        ("__import__('numpy').array([Floaty()], dtype=object)", "numpy array"),
        ("10 ** 400", "too large"),
    ],
)
def test_wrong_types_are_errors_not_values(sb, expr, fragment):
    o = run1(sb, RIGGED + f"def f(x, y):\n    return {expr}\n")
    assert o.status == "error", o
    assert fragment in o.error
    assert o.where == "A.py:11"


def test_numbers_and_text_are_checked_too(sb):
    src = RIGGED + "d = {'x1': 1.0, 'w1': Sneaky(2.0)}\nt = ['x1']\nn = {'x1': float('nan')}\n"
    files = {"A": src}
    out = sb.run(
        files,
        [
            Request("A", "d", None, "numbers"),
            Request("A", "t", None, "text"),
            Request("A", "n", None, "numbers"),
        ],
    )
    assert [o.status for o in out] == ["error"] * 3
    assert "Sneaky" in out[0].error and "str" in out[1].error and "nan" in out[2].error


def test_a_patched_runner_still_cannot_pass_a_wrong_type(sb):
    # The student finds the runner's globals and makes its converter accept anything:
    # this process checks the JSON again and refuses.
    src = """\
    import sys
    def f(x, y):
        frame = sys._getframe(1)
        frame.f_globals["convert"] = lambda value, expect, limit: ("forty-two", "")
        return 1.0
    def g(x, y):
        return 2.0
    """
    files = {"A": textwrap.dedent(src)}
    out = sb.run(files, [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))])
    assert out[0].status == "error" and "result channel" in out[0].error
    assert out[1] == Outcome("ok", 2.0)


# ---------------------------------------------------------------------------- time


def test_endless_loop_times_out_alone_and_leaves_no_process(sb):
    src = """\
    def f(x, y):
        while True:
            pass
    def g(x, y):
        return x + y
    """
    files = {"A": textwrap.dedent(src)}
    t0 = time.monotonic()
    out = sb.run(
        files,
        [
            Request("A", "g", (1.0, 2.0)),
            Request("A", "f", (1.0, 2.0)),
            Request("A", "g", (3.0, 4.0)),
        ],
    )
    elapsed = time.monotonic() - t0
    assert out[0] == Outcome("ok", 3.0)
    assert out[1].status == "timeout" and "did not finish" in out[1].error
    assert "бесконечный цикл" in out[1].message["ru"]
    assert out[2] == Outcome("ok", 7.0)
    assert elapsed < TIMEOUT + 1.5
    assert_no_children(sb)


def test_slow_import_costs_one_timeout_for_the_whole_module(sb):
    files = {
        "S": "import time\ntime.sleep(100)\ndef S(G):\n    return G\n",
        "A": "def A(x1, w1):\n    return x1 * w1\n",
    }
    reqs = [
        Request("S", "S", (1.0,)),
        Request("A", "A", (2.0, 3.0)),
        Request("S", "S", (2.0,)),
        Request("S", "dS_dG", (2.0,)),
    ]
    t0 = time.monotonic()
    out = sb.run(files, reqs)
    elapsed = time.monotonic() - t0
    assert [o.status for o in out] == ["timeout", "ok", "timeout", "timeout"], out
    assert "importing S.py" in out[0].error and out[2].error == out[0].error
    assert out[1].value == 6.0
    assert elapsed < TIMEOUT + 1.0
    assert_no_children(sb)


def test_ignoring_sigterm_does_not_help(sb):
    src = """\
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    def f(x, y):
        import time
        time.sleep(100)
    """
    assert run1(sb, src).status == "timeout"
    assert_no_children(sb)


def test_cpu_limit_kills_a_busy_child():
    with Sandbox(Limits(call_timeout=5.0, cpu_seconds=1)) as box:
        o = run1(box, "def f(x, y):\n    while True:\n        pass\n")
    assert o.status == "error" and "CPU" in o.error


# ---------------------------------------------------------------------------- exits


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("import os; os._exit(3)", "the program exited (os._exit(3)) while computing f"),
        ("import sys; sys.exit(2)", "the program exited (sys.exit(2)) while computing f"),
        ("raise SystemExit", "the program exited (sys.exit(None)) while computing f"),
        ("raise KeyboardInterrupt", "KeyboardInterrupt"),
        ("import ctypes; ctypes.string_at(0)", "segmentation fault"),
        ("import os; os.abort()", "the program"),
    ],
)
def test_exits_and_crashes_are_errors_and_grading_goes_on(sb, body, fragment):
    src = f"def f(x, y):\n    {body}\n\ndef g(x, y):\n    return 5.0\n"
    out = sb.run({"A": src}, [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))])
    assert out[0].status == "error", out[0]
    assert fragment in out[0].error
    assert out[1] == Outcome("ok", 5.0)


def test_exit_at_import_marks_the_module_once(sb):
    files = {"A": "import os\nos._exit(4)\n", "B": "def B(x2, w2):\n    return w2\n"}
    reqs = [Request("A", "A", (1.0, 2.0)), Request("A", "x"), Request("B", "B", (1.0, 2.0))]
    out = sb.run(files, reqs)
    assert out[0].status == out[1].status == "error"
    assert "while importing A.py" in out[0].error and out[1].error == out[0].error
    assert out[2] == Outcome("ok", 2.0)


# ---------------------------------------------------------------------------- reach


@pytest.mark.parametrize(
    "body",
    [
        "os.kill(os.getppid(), signal.SIGKILL)",
        "os.kill(1, signal.SIGKILL)",
        "os.killpg(os.getpgid(0), signal.SIGKILL)",
        "os.kill(-1, signal.SIGKILL)",
        f"os.kill({os.getpid()}, signal.SIGKILL)",
    ],
)
def test_signalling_the_grader_kills_nothing(sb, body):
    src = "import os, signal\ndef f(x, y):\n    try:\n"
    src += f"        {body}\n    except OSError:\n        pass\n    return 1.0\n"
    out = sb.run({"A": src}, [Request("A", "f", (1.0, 2.0))])
    assert out[0].status in ("ok", "error")
    assert sb._server.proc is not None and sb._server.proc.poll() is None  # server alive too
    assert sb.run({"A": GOOD_A}, [Request("A", "A", (2.0, 3.0))])[0].value == 6.0


@pytest.mark.parametrize(
    "body",
    [
        "os.fork()",
        "import subprocess; subprocess.run(['true'])",
        "import threading; t = threading.Thread(target=print); t.start()",
        "os.execv('/bin/true', ['true'])",
    ],
)
def test_no_fork_no_thread_no_exec(sb, body):
    src = f"import os\ndef f(x, y):\n    {body}\n    return 1.0\n"
    o = run1(sb, src)
    assert o.status == "error", o
    assert_no_children(sb)


def test_cannot_write_outside_the_workdir(sb):
    name = f"sandbox-escape-{uuid.uuid4().hex}"
    targets = [
        f"/tmp/{name}",
        str(REPO / name),
        f"/root/{name}",
        f"{Path.home()}/{name}",
        f"/var/tmp/{name}",
        f"/dev/shm/{name}",
    ]
    src = f"""\
    import os
    def f(x, y):
        ok = 0
        for path in {targets!r}:
            try:
                with open(path, "w") as fh:
                    fh.write("x")
                ok += 1
            except OSError:
                pass
        with open("scratch.txt", "w") as fh:
            fh.write("allowed")
        return float(ok)
    """
    o = run1(sb, src)
    assert o.status == "ok", o
    if sb.isolation == "namespaces":
        assert o.value == 0.0
    for path in targets:
        assert not os.path.exists(path), path


def test_the_course_repository_is_invisible(sb):
    src = f"""\
    def f(x, y):
        with open({str(REPO / "reference" / "__init__.py")!r}) as fh:
            return float(len(fh.read()))
    """
    o = run1(sb, src)
    assert o.status == "error", o
    assert "Error" in o.error


@pytest.mark.parametrize("mod", ["grader", "reference", "grader.sandbox.server", "sympy", "yaml"])
def test_project_packages_cannot_be_imported(sb, mod):
    if mod in ("sympy", "yaml") and sb.isolation != "namespaces":
        pytest.skip("only the namespace root hides site-packages")
    o = run1(sb, f"def f(x, y):\n    import {mod}\n    return 1.0\n")
    assert o.status == "error" and "ModuleNotFoundError" in o.error


def test_no_network():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        src = f"""\
        import socket
import sys
        def f(x, y):
            s = socket.create_connection(("127.0.0.1", {port}), timeout=0.5)
            return 1.0
        """
        with Sandbox(Limits(call_timeout=TIMEOUT)) as box:
            o = run1(box, src)
    assert o.status == "error", o


def test_stack_inspection_reveals_no_grader_file(sb):
    src = """\
    import inspect, sys
    def f(x, y):
        names = [fr.filename for fr in inspect.stack()]
        frame = sys._getframe(1)
        names += sorted(frame.f_locals) + sorted(frame.f_globals)
        names += [m.__dict__.get("__file__") or "" for m in list(sys.modules.values())]
        names += sys.path
        return repr(names)
    """
    o = run1(sb, src, expect="text")
    assert o.status == "ok", o
    # a venv made inside the checkout (as the README's quick start does) holds numpy, which
    # the sandbox shows; nothing else of the checkout may be seen
    seen = o.value
    venv = os.path.realpath(sys.prefix)
    if venv.startswith(f"{REPO}/"):
        seen = seen.replace(f"{venv}/", "<venv>/").replace(repr(venv), "<venv>")
    assert f"{REPO}/" not in seen and repr(str(REPO)) not in seen
    assert "sandbox.py" not in o.value and "_sandbox_child" not in o.value
    assert "reference" not in o.value


def test_the_runners_own_frames_are_named_for_the_sandbox_not_a_file(sb):
    """The child package reaches the fork server as text: each of its modules is compiled as
    ``<sandbox.NAME>`` (the loader as ``<sandbox>``), ``python -c`` is ``<string>``."""
    src = """\
    import inspect
    def f(x, y):
        return repr([fr.filename for fr in inspect.stack()[1:]])
    """
    o = run1(sb, src, expect="text")
    assert o.status == "ok", o
    names = ast.literal_eval(o.value)
    assert {"<sandbox.answers>", "<sandbox.runner>", "<sandbox.forkserver>"} <= set(names)
    assert all(n == "<string>" or n.startswith("<sandbox") for n in names), names


CHILD = REPO / "grader" / "sandbox" / "child"


def foreign_imports(file: str, text: str) -> list[str]:
    """What `file` of the child package imports beyond the standard library and its own
    modules (relatively: not from the loader, which has none to find yet), and numpy
    (optional, taken in the fork server)."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom) and node.level:
            if node.level != 1 or file == "boot.py":
                found.append("." * node.level + (node.module or ""))
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        else:
            continue
        found += [
            name
            for name in names
            if name.split(".")[0] not in sys.stdlib_module_names
            and (file, name) != ("values.py", "numpy")
        ]
    return found


def test_the_child_package_imports_the_standard_library_and_itself_only():
    """What runs in the sandbox never imports ``grader`` or ``reference``: it is sent to the
    fork server as text.  Read from the source, lazy imports included."""
    files = sorted(CHILD.glob("*.py"))
    assert {p.name for p in files} >= {"boot.py", "runner.py", "seccomp.py", "mounts.py"}
    for path in files:
        assert foreign_imports(path.name, path.read_text(encoding="utf-8")) == [], path.name
    # the twin: what is not allowed is found
    text = "import grader\ndef f():\n    from reference.i18n import t\n    import yaml\n"
    assert foreign_imports("runner.py", text) == ["grader", "reference.i18n", "yaml"]
    assert foreign_imports("boot.py", "from .runner import run\n") == [".runner"]
    assert foreign_imports("runner.py", "import numpy\n") == ["numpy"]


# ---------------------------------------------------------------------------- channel


def test_printing_a_fake_result_does_nothing(sb):
    src = """\
    import json, struct, sys
    fake = json.dumps({"i": 0, "status": "ok", "value": 99.0})
    def f(x, y):
        print(fake)
        sys.stdout.buffer.write(struct.pack(">I", len(fake)) + fake.encode())
        sys.stdout.flush()
        return 1.0
    """
    o = run1(sb, src)
    assert o.status == "ok" and o.value == 1.0
    assert '"value": 99.0' in o.output


def test_garbage_on_every_fd_earns_nothing(sb):
    src = """\
    import json, os, struct
    def f(x, y):
        forged = json.dumps({"i": 1, "status": "ok", "value": 99.0}).encode()
        junk = b"\\xff" * 64 + struct.pack(">I", len(forged)) + forged + b"\\x00" * 8
        for fd in range(256):
            try:
                os.write(fd, junk)
            except OSError:
                pass
        return 1.0
    def g(x, y):
        return 2.0
    """
    files = {"A": textwrap.dedent(src)}
    out = sb.run(files, [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))])
    assert out[0].status == "error"
    assert out[1] == Outcome("ok", 2.0)


def test_a_forged_frame_for_the_next_request_is_refused(sb):
    src = """\
    import json, os, struct
    def f(x, y):
        forged = json.dumps({"i": 1, "status": "ok", "value": 99.0}).encode()
        os.write(3, struct.pack(">I", len(forged)) + forged)
        return 1.0
    def g(x, y):
        return 2.0
    """
    files = {"A": textwrap.dedent(src)}
    out = sb.run(files, [Request("A", "f", (1.0, 2.0)), Request("A", "g", (1.0, 2.0))])
    assert out[0].status == "error" and "result channel" in out[0].error
    assert out[1] == Outcome("ok", 2.0)


def test_a_huge_frame_header_is_refused(sb):
    src = "import os\ndef f(x, y):\n    os.write(3, b'\\x7f\\xff\\xff\\xff')\n    return 1.0\n"
    assert run1(sb, src).status == "error"


def test_closing_the_channel_is_an_error(sb):
    src = "import os\ndef f(x, y):\n    os.close(3)\n    return 1.0\n"
    o = run1(sb, src)
    assert o.status == "error" and "result channel" in o.error


# ---------------------------------------------------------------------------- floods


def test_memory_flood_is_an_error(sb):
    o = run1(sb, "def f(x, y):\n    a = bytearray(8 << 30)\n    return 1.0\n")
    assert o.status == "error" and "MemoryError" in o.error


def test_output_flood_is_cut_and_bounded(sb):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.monotonic()
    o = run1(sb, "def f(x, y):\n    print('x' * 100_000_000)\n    return 1.0\n")
    assert o == Outcome("ok", 1.0, output=o.output)
    assert len(o.output) < 2200 and "more bytes of output not shown" in o.output
    assert time.monotonic() - t0 < TIMEOUT
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    assert grown_kb < 30_000


def test_fork_bomb_is_contained(sb):
    src = "import os\ndef f(x, y):\n    while True:\n        os.fork()\n"
    o = run1(sb, src)
    assert o.status == "error"
    assert_no_children(sb)


# ---------------------------------------------------------------------------- modes


def test_isolation_and_warning(sb):
    assert sb.isolation in ("namespaces", "landlock", "rlimits-only")
    assert (sb.warning == "") == (sb.isolation == "namespaces")
    if os.path.exists("/proc/self/ns/user") and os.system("unshare -r -n true 2>/dev/null") == 0:
        assert sb.isolation == "namespaces"


@pytest.mark.parametrize("mode", ["landlock", "rlimits-only"])
def test_fallback_modes_still_grade_and_contain(mode, monkeypatch):
    import tempfile

    made: list[str] = []
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp(*args, **kwargs):
        made.append(real_mkdtemp(*args, **kwargs))
        return made[-1]

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp)
    with Sandbox(Limits(call_timeout=TIMEOUT), isolation=mode) as box:
        assert box.isolation in ("landlock", "rlimits-only")
        assert box.warning
        src = "import os, signal\ndef f(x, y):\n    os.kill(os.getppid(), signal.SIGKILL)\n"
        src += "def g(x, y):\n    while True:\n        pass\n"
        src += "def h(x, y):\n    os._exit(3)\n"
        out = box.run(
            {"A": GOOD_A, "B": src},
            [
                Request("A", "A", (2.0, 3.0)),
                Request("B", "f", (1.0, 2.0)),
                Request("B", "g", (1.0, 2.0)),
                Request("B", "h", (1.0, 2.0)),
                Request("A", "backward", (2.0, 3.0, 0.5), "numbers"),
            ],
        )
        assert out[0] == Outcome("ok", 6.0)
        assert out[1].status == "error"
        assert out[2].status == "timeout"
        assert "os._exit(3)" in out[3].error
        assert out[4].value == {"x1": 1.5, "w1": 1.0}
        assert_no_children(box)
        if box.isolation == "landlock":
            o = run1(box, f"def f(x, y):\n    open({str(REPO / 'reference' / '__init__.py')!r})\n")
            assert o.status == "error"
            # the working directory is the host's disk: no file can be made there (each
            # written file counts), so a loop of files cannot fill it
            o = run1(box, WRITES)
            assert o.status == "error" and "PermissionError" in o.error, o
    assert made and not any(os.path.exists(d) for d in made)  # work dirs are removed


# A submission that writes scratch files into its working directory.
WRITES = """def f(x, y):
    for k in range(50):
        with open(f"junk{k}.bin", "wb") as out:
            out.write(b"x" * 100_000)
    return 1.0
"""


def test_scratch_files_are_written_in_the_namespaces_small_tmpfs(sb):
    """The twin of the Landlock fallback's refusal: with namespaces the working directory is
    a tmpfs of its own, capped, where a few scratch files are fine."""
    if sb.isolation != "namespaces":
        pytest.skip("no namespaces here")
    assert run1(sb, WRITES) == Outcome("ok", 1.0)


def test_the_base_interpreters_site_packages_is_hidden_even_from_a_venv(monkeypatch):
    """A venv's sites are its own: the site-packages inside the base interpreter's standard
    library folder (bound with it) is hidden all the same."""
    import site
    import sysconfig

    from grader.sandbox import host

    stdlib = os.path.realpath(sysconfig.get_paths()["stdlib"])
    base_site = os.path.join(stdlib, "site-packages")
    if not os.path.isdir(base_site):
        pytest.skip("this Python keeps no site-packages in its standard library folder")
    monkeypatch.setattr(site, "getsitepackages", lambda: ["/nonexistent/venv/site-packages"])
    monkeypatch.setattr(site, "getusersitepackages", lambda: "/nonexistent/user-site")
    monkeypatch.setattr(host.sys, "path", [p for p in host.sys.path if p != base_site])
    paths = host.host_paths()
    hidden = {p for kind, p in paths.root_plan if kind == "hide"}
    assert base_site in hidden
    assert any(kind == "bind" and p == stdlib for kind, p in paths.root_plan)  # the twin


def test_sandbox_restarts_after_close_and_runs_many_submissions():
    box = Sandbox(Limits(call_timeout=TIMEOUT))
    try:
        for _ in range(3):
            assert box.run({"A": GOOD_A}, [Request("A", "A", (1.0, 2.0))])[0].value == 2.0
        box.close()
        assert box.run({"A": GOOD_A}, [Request("A", "A", (1.0, 3.0))])[0].value == 3.0
    finally:
        box.close()


def test_a_killed_server_is_restarted():
    with Sandbox(Limits(call_timeout=TIMEOUT)) as box:
        assert box.run({"A": GOOD_A}, [Request("A", "A", (1.0, 2.0))])[0].value == 2.0
        os.kill(box.server_pid, signal.SIGKILL)
        time.sleep(0.05)
        assert box.run({"A": GOOD_A}, [Request("A", "A", (1.0, 4.0))])[0].value == 4.0


def test_a_lost_supervisor_is_the_sandboxs_fault_not_the_students():
    # Something outside kills the supervisor mid-request: the request is run again in a
    # new child instead of being scored as the student's error.
    src = "import time\ndef f(x, y):\n    time.sleep(0.3)\n    return 1.0\n"
    with Sandbox(Limits(call_timeout=TIMEOUT)) as box:
        box.start()
        killer = threading.Timer(
            0.15, lambda: [os.kill(p, signal.SIGKILL) for p in children(box.server_pid)]
        )
        killer.start()
        out = box.run({"A": src}, [Request("A", "f", (1.0, 2.0))])
        killer.join()
    assert out == [Outcome("ok", 1.0)]


def test_oversized_source_is_refused_without_running(sb):
    big = "x = 1\n" + "#" * (1 << 20)
    o = sb.run({"A": big, "B": "b = 2.0\n"}, [Request("A", "x"), Request("B", "b")])
    assert o[0].status == "error" and "larger than" in o[0].error
    assert o[1] == Outcome("ok", 2.0)


def test_bad_arguments_are_the_callers_error(sb):
    with pytest.raises(ValueError):
        sb.run({"../x": ""}, [])
    with pytest.raises(ValueError):
        sb.run({}, [Request("A", "f", None, "complex")])
    assert sb.run({}, []) == []


# ---------------------------------------------------------------------------- budget

SLOW = """\
import time
def f(x, y):
    time.sleep(%s)
    return x + y
"""


def test_a_budget_stops_calls_that_each_stay_under_the_limit(sb):
    """Every call sleeps 70% of the per-call limit: alone each is fine, together they are not."""
    files = {"A": SLOW % (0.7 * TIMEOUT)}
    reqs = [Request("A", "f", (float(k), 1.0)) for k in range(10)]
    budget = api.Budget(2.5 * TIMEOUT)
    t0 = time.monotonic()
    out = sb.run(files, reqs, budget)
    elapsed = time.monotonic() - t0
    assert elapsed < 2.5 * TIMEOUT + 1.0  # not 10 × 0.7 s
    assert [o.status for o in out[:2]] == ["ok", "ok"] and out[0].value == 1.0
    late = [o for o in out if o.status != "ok"]
    assert len(late) >= 6 and all(o.status == "timeout" and o.budget for o in late)
    assert "time budget ran out" in late[0].message["en"]
    assert "время на работу истекло" in late[0].message["ru"]
    assert budget.left == 0
    # A spent budget is spent for the next run of the same submission too, at once.
    t0 = time.monotonic()
    (again,) = sb.run(files, reqs[:1], budget)
    assert again.status == "timeout" and again.budget and time.monotonic() - t0 < 1.0
    assert_no_children(sb)


def test_a_budget_large_enough_changes_nothing(sb):
    """The twin: the same calls under a budget they fit in, and with none, all answer."""
    files = {"A": SLOW % (0.2 * TIMEOUT)}
    reqs = [Request("A", "f", (float(k), 1.0)) for k in range(4)]
    budget = api.Budget(10 * TIMEOUT)
    assert [o.value for o in sb.run(files, reqs, budget)] == [1.0, 2.0, 3.0, 4.0]
    assert 0 < budget.used < 0.8 * TIMEOUT + 1.0 and budget.left > 0
    assert [o.value for o in sb.run(files, reqs)] == [1.0, 2.0, 3.0, 4.0]


# ---------------------------------------------------------------------------- batches


def test_answers_before_a_hang_in_the_same_batch_are_kept(sb):
    # Results come back in batches; the request that hangs is told by the progress slot,
    # and the answers before it that were still in the runner's batch are asked again.
    src = """\
    import os
    def f(x, y):
        if x == 3.0:
            while True:
                pass
        return x
    def g(x, y):
        if x == 2.0:
            os._exit(3)
        return -x
    """
    files = {"A": textwrap.dedent(src)}
    reqs = [Request("A", "f", (x, 0.0)) for x in (1.0, 2.0, 3.0, 4.0)]
    reqs += [Request("A", "g", (x, 0.0)) for x in (1.0, 2.0, 5.0)]
    out = sb.run(files, reqs)
    assert [o.status for o in out] == ["ok", "ok", "timeout", "timeout", "ok", "error", "error"]
    assert [out[0].value, out[1].value, out[4].value] == [1.0, 2.0, -1.0]
    assert "did not finish" in out[2].error and "os._exit(3)" in out[5].error


def test_output_goes_with_the_request_that_printed_it(sb):
    src = "def f(x, y):\n    if x == 2.0:\n        print('two')\n    return x\n"
    reqs = [Request("A", "f", (x, 0.0)) for x in (1.0, 2.0, 3.0)]
    out = sb.run({"A": src}, reqs)
    assert [o.output for o in out] == ["", "two\n", ""]


def test_a_machine_without_seccomp_is_said_and_refused_under_namespaces():
    """On a machine where the child installs no seccomp filter (aarch64: the deny-list is
    x86_64's), the isolation's name and the warning say so, and ``isolation="namespaces"``
    (``grade --isolation namespaces``) refuses to grade."""
    with Sandbox(seccomp=False) as box:
        assert box.isolation.endswith("-without-seccomp")
        assert "no seccomp filter" in box.warning and "seccomp" in box.warning.split(" / ")[1]
        with_filter = box.isolation.removesuffix("-without-seccomp")
    with (
        pytest.raises(api.SandboxError, match="no seccomp filter"),
        Sandbox(isolation="namespaces", seccomp=False),
    ):
        pass
    # the twin: with the filter, nothing is said of seccomp
    with Sandbox() as box:
        assert box.isolation == with_filter and "seccomp" not in box.warning
