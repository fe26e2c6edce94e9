"""Course files as data with line numbers, and problems reported as ``file:line: message``.

PyYAML's safe loader builds the data; the node tree it builds first gives the line of every
key and item, and shows duplicate keys that the data would silently drop.  Every problem
is a :class:`reference.i18n.Problem` (file, line, text in every language).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reference.i18n import BilingualError, Problem, Text, did_you_mean, join, t

if TYPE_CHECKING:  # PyYAML loads only to read a file: a course-cache hit never needs it
    import yaml

__all__ = ["CourseError", "Problem", "Source", "check_keys", "parse_yaml", "read_yaml"]

MAX_BYTES = 1 << 20  # a course file larger than this is a mistake, not a course

PathKey = tuple[Any, ...]


class CourseError(BilingualError):
    """One or more problems in the course files; the CLI prints them all and exits 1, in
    ``languages[0]`` (the course's own first language, when course.yml could say it)."""

    def __init__(self, problems: Iterable[Problem], languages: Iterable[str] = ()):
        super().__init__(list(problems))
        self.languages = tuple(languages)


@dataclass
class Source:
    """One YAML file: its data, the line of every path in it, and the problems found so far."""

    name: str
    data: Any
    lines: dict[PathKey, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    prefix: PathKey = ()  # where ``data`` sits in the file, for a view made by ``part``

    def part(self, *path: Any, data: Any = None) -> Source:
        """A view of one part of the file (``model:`` of an exercise) sharing lines and problems."""
        return Source(self.name, data, self.lines, self.problems, (*self.prefix, *path))

    def line(self, *path: Any) -> int:
        """Line of ``path``, or of its nearest ancestor that has one (the first line at worst)."""
        key = tuple(str(p) if not isinstance(p, int) else p for p in (*self.prefix, *path))
        while key:
            if key in self.lines:
                return self.lines[key]
            key = key[:-1]
        return 1

    def error(self, path: PathKey, text: Text) -> None:
        """A problem at ``path``, a text in every language."""
        self.problems.append(Problem(self.name, self.line(*path), text))


def read_yaml(path: Path, name: str | None = None) -> Source:
    """Read one YAML file; a file that cannot be read or parsed raises CourseError."""
    name = name or path.name
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise _unreadable(
            name,
            t("course.cannot_read_file", strerror=err.strerror),
        ) from None
    if len(raw) > MAX_BYTES:
        raise _unreadable(name, t("course.file_larger_than_bytes", max_bytes=MAX_BYTES))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise _unreadable(
            name,
            t("course.not_utf_8_text_byte", start=err.start),
        ) from None
    return parse_yaml(text, name)


def _unreadable(name: str, text: Text, line: int | None = None) -> CourseError:
    return CourseError([Problem(name, line, text)])


def parse_yaml(text: str, name: str) -> Source:
    # What yaml.safe_load does, in one pass that also keeps the node tree (for lines); with
    # libyaml's parser when PyYAML has it.
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        tree = loader.get_single_node()
        data = loader.construct_document(tree) if tree is not None else None
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        problem = getattr(err, "problem", None) or str(err)
        line = mark.line + 1 if mark else None
        raise _unreadable(name, t("course.yaml_syntax", problem=problem), line) from None
    finally:
        loader.dispose()
    source = Source(name, data)
    if tree is not None:
        _index(tree, (), source, set())
    return source


def _index(node: yaml.Node, path: PathKey, source: Source, seen: set[int]) -> None:
    # Aliases share nodes: visit each once, so `&a [*a, *a, …]` bombs cost nothing here.
    if id(node) in seen:
        return
    seen.add(id(node))
    source.lines.setdefault(path, node.start_mark.line + 1)
    if node.id == "mapping":  # yaml.MappingNode's (yaml itself is imported by parse_yaml)
        first: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            if key in first:
                text = t("course.duplicate_key", key=key, first=first[key])
                source.problems.append(Problem(source.name, line, text))
            first.setdefault(key, line)
            child = (*path, key)
            source.lines[child] = line
            _index(value_node, child, source, seen)
    elif node.id == "sequence":
        for i, item in enumerate(node.value):
            _index(item, (*path, i), source, seen)


def check_keys(
    source: Source,
    path: PathKey,
    mapping: dict,
    allowed: Iterable[str],
    required: Iterable[str] = (),
) -> None:
    """Unknown keys (with a suggestion) and missing required keys of one mapping."""
    allowed = list(allowed)
    for key in mapping:
        if key not in allowed:
            hint = did_you_mean(str(key), allowed)
            source.error((*path, key), join([t("course.unknown_key", key=key), hint], sep=""))
    for key in required:
        if key not in mapping:
            if path:
                source.error(path, t("course.missing_key_in", key=key, parent=path[-1]))
            else:
                source.error(path, t("course.missing_key", key=key))
