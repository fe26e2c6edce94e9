"""Modules shipped inside one generated file, imported under their own names.

``course release`` puts the formula reader (``reference.expr`` and the little it needs) into
check.py as source text, so a student's check reads a formula with the very parser ``grade``
uses, not a copy.  Flattened into one namespace, modules would clash (``t``, ``short``, a
module used as ``hints.x``); so each is kept whole and imported as itself, from the text
carried in the file.  Standard library only: this file is itself copied into check.py.
"""

import importlib.abc
import importlib.util
import sys


class Embedded(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds and runs the carried modules: name -> (is a package, source)."""

    def __init__(self, sources):
        self.sources = sources

    def find_spec(self, fullname, path=None, target=None):
        if fullname not in self.sources:
            return None
        package = self.sources[fullname][0]
        return importlib.util.spec_from_loader(fullname, self, is_package=package)

    def create_module(self, spec):
        return None  # the default module

    def exec_module(self, module):
        # The course's own source, carried in this file: never a student's text.
        code = compile(self.sources[module.__name__][1], f"<{module.__name__}>", "exec")
        exec(code, module.__dict__)


def install(sources):
    """Make the carried modules importable, ahead of anything installed under their names."""
    sys.meta_path.insert(0, Embedded(sources))
