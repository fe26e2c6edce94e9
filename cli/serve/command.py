"""``course serve``: the live round's web app on this machine (the ``serve`` extra).

It loads the course, opens the rounds' SQLite file (``--db``, default
``<course>/.live/rounds.sqlite3``), listens, and prints the teacher's URL (DESIGN.md's line
``teacher: http://HOST:PORT/teacher?token=TOKEN``: the page moves the token out of its
address at once, and the server logs no URL), the students' join URL and its QR code, and a
``join: http://HOST:PORT/join/CODE`` line for each round started; then serves until
Ctrl+C.  The teacher's token lives in the file, so a restart keeps the teacher's URL.
Nothing heavy is imported before the command runs: ``course``'s other commands start as
fast without the extra.
"""

from __future__ import annotations

import io
import ipaddress
import shutil
import socket
import subprocess
from pathlib import Path

import click

from cli.common import (
    collect_again,
    course_option,
    find_course,
    lang_option,
    load_whole_course,
    usage,
)
from reference.i18n import language, pick, same, say, t

#: Hosts that mean "every address of this machine".
EVERYWHERE = ("0.0.0.0", "::", "")


@click.command("serve")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="The address to listen on; 0.0.0.0 for students' phones on the local network.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="The port to listen on (0: any free port, printed).",
)
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="The rounds' SQLite file (default: .live/rounds.sqlite3 in the course's folder).",
)
@click.option(
    "--roster",
    "roster_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Only these students may practise: a CSV with a student column (or grade's --roster).",
)
@course_option
@lang_option
def serve(
    host: str,
    port: int,
    db_path: Path | None,
    roster_path: Path | None,
    course_path: Path | None,
    lang: str | None,
) -> None:
    """The volunteers' round, live: the teacher's page, the board for the projector and
    the volunteers' phone pages, on this machine."""
    try:
        import qrcode  # noqa: F401
        import starlette  # noqa: F401
        import uvicorn
    except ImportError:
        usage("course serve", t("board.needs_extra"), language(lang))
    from cli.serve.app import make_app
    from cli.serve.pages import page_routes
    from cli.serve.practice import Practice, announcement, load_practice_roster
    from cli.serve.store import Round, Store
    from grader.grading import fingerprint
    from grader.intake.roster import RosterError

    course = load_whole_course(course_path, lang)
    lang = language(lang, course.model.languages)
    try:  # a bad roster: said before anything listens
        roster = load_practice_roster(roster_path) if roster_path else None
    except RosterError as bad:
        usage("course serve", same(bad.render(lang)), lang)
    digest = fingerprint(course, find_course(course_path))
    db = db_path or course.root / ".live" / "rounds.sqlite3"
    db.parent.mkdir(parents=True, exist_ok=True)
    sock = listen(host, port, lang)
    port = sock.getsockname()[1]
    teacher_host, student_host, on_network = addresses(host)
    public = f"http://{student_host}:{port}"
    store = Store(db)
    token = store.token()
    practice = Practice(course, store, token, lang=lang, roster=roster)
    pages = page_routes(course, lang, public) + practice.routes()
    board = f"http://{teacher_host}:{port}/board"

    def announce(made: Round) -> None:
        click.echo(f"join: {public}/join/{made.join_code}")  # DESIGN.md's line, as it is
        click.echo(say("board.round_started", lang, board=f"{board}/{made.id}"))

    app = make_app(course, store, token, digest, lang=lang, pages=pages, announce=announce)
    click.echo(say("board.serving", lang, course=pick(course.model.title, lang), db=db))
    click.echo(f"teacher: http://{teacher_host}:{port}/teacher?token={token}")  # DESIGN.md's
    click.echo(say("board.teacher_url", lang))
    if host in EVERYWHERE:
        said = say("board.every_address", lang, url=f"{public}/join")
        click.echo(said if on_network else say("board.no_lan_address", lang, port=port))
    click.echo(say("board.join_url", lang, url=f"{public}/join"))
    click.echo(qr_text(f"{public}/join"))
    for line in announcement(public, f"http://{teacher_host}:{port}", token, lang):
        click.echo(line)
    click.echo(say("board.stop", lang))
    collect_again()  # a long-running process: the collector back on (cli.common.run)
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:  # Ctrl+C: uvicorn has shut down cleanly, then raised it again
        pass
    finally:
        practice.close()
        store.close()


def listen(host: str, port: int, lang: str) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: a free one, read back by the caller):
    made here so that the printed URL names the real port and answers at once."""
    try:
        family, kind, proto, _, where = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(where)
        sock.listen(2048)
    except OSError as err:
        usage("course serve", t("board.port_taken", host=host, port=port, why=err), lang)
    sock.set_inheritable(True)
    return sock


def addresses(host: str) -> tuple[str, str, bool]:
    """(the host in the teacher's URL, the host in the students', whether that is an address
    on the network): listening everywhere, the teacher is on this machine and the students
    reach its address on the network (its name, if it has none)."""
    if host not in EVERYWHERE:
        shown = f"[{host}]" if ":" in host else host
        return shown, shown, True
    loopback = "[::1]" if host == "::" else "127.0.0.1"
    found = lan_addresses()
    return loopback, found[0] if found else socket.gethostname(), bool(found)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses on its networks (not loopback, not link-local), as the
    system knows them: its own name resolved, else ``hostname -I``.  Nothing is sent."""
    found: list[str] = []
    try:
        infos = socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)
        found += [str(info[4][0]) for info in infos]
    except OSError:
        pass
    command = shutil.which("hostname")
    if command:
        try:
            said = subprocess.run(
                [command, "-I"], capture_output=True, text=True, timeout=2, check=False
            )
            found += said.stdout.split()
        except (OSError, subprocess.SubprocessError):
            pass
    usable = []
    for text in dict.fromkeys(found):
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if address.version == 4 and not (address.is_loopback or address.is_link_local):
            usable.append(text)
    return usable


def qr_text(url: str) -> str:
    """``url`` as a QR code in text (half blocks), for a phone to read off the terminal."""
    import qrcode

    code = qrcode.QRCode(border=2)
    code.add_data(url)
    code.make(fit=True)
    out = io.StringIO()
    code.print_ascii(out=out, invert=True)
    return out.getvalue().rstrip("\n")
