"""A bytecode cache for the methods `dataclasses` writes.

`@dataclass` writes the source of each class's `__init__`, `__repr__`, `__eq__` (and, for a
frozen class, `__setattr__`, `__delattr__`, `__hash__`) and compiles it with `exec` every time
the class is defined, that is at every start of every process. For the ~60 dataclasses a
`kafkalint check` imports, compiling was 70 % of defining them and about a tenth of a whole
run on a Java tree (measured: 34 of 49 ms of class definitions; see benchmarks/compare_java.py).
Python caches the bytecode of modules in `__pycache__`, not of text given to `exec`; this
module does for that text what `__pycache__` does for modules.

`install()` gives the `dataclasses` module an `exec` of its own (a module global, which its
calls find before the builtin) that looks the source text up in a table of code objects
compiled before, and compiles and remembers it when it is new. A code object is what `exec`
would have compiled from the same text: same file name (`<string>`), same flags (none: the
`dataclasses` module has no `__future__` imports, and none are inherited from here). Whatever
the table holds, `exec` runs with the globals and locals `dataclasses` passes, so a class is
defined exactly as without the cache.

There are two tables: kafkalint's own classes, and those of the libraries it imports (libcst
defines some 600 methods this way: importing it took 380 ms, 120 ms with the table). Each is
read the first time a class of its kind is defined, so a run that never imports libcst never
reads the second.

The tables are kept beside kafkalint's own bytecode (`kafkalint/__pycache__`, or under
PYTHONPYCACHEPREFIX), as trusted as the `.pyc` files Python loads from there, never in a
folder a linted repository could write to. Each is written only when Python writes bytecode
(not under PYTHONDONTWRITEBYTECODE), atomically, and only when something new was compiled;
a table that reaches its cap (a library upgraded many times) starts again from nothing.
A table that cannot be read, is of another Python, or is damaged is ignored and rewritten.
A Python whose `dataclasses` no longer calls `exec` simply does not use it.

A table holds each code object in its marshalled form, turned into a code object only when a
class asks for it: a table keeps the methods of every class any command has defined (and of
earlier versions of them), and unmarshalling them all was 4 ms of every start, of which a
`check` needs a third.
"""

import builtins
import marshal
import os
import sys

# Text given to exec in any one process (kafkalint's classes and those of the libraries it
# imports, such as libcst's hundreds) stays far below these.
MAX_ENTRIES = 8192
MAX_TABLE_BYTES = 16 * 1024 * 1024

_MAGIC = b"kafkalint-dataclass-code-2\n"

_installed = False


class _Table:
    """The code objects of one kind of class (kafkalint's own, or libraries'), by source text."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.path = _path(name)
        self.codes: dict = {}  # source text -> code object, or its marshalled bytes as read
        self.added = 0
        self.loaded = False

    def code_of(self, source: str):
        if not self.loaded:
            self.loaded = True
            if self.path is not None:
                self.codes = _load(self.path)
        code = self.codes.get(source)
        if type(code) is bytes:  # as read from the file: unmarshalled on first use
            code = _unmarshalled_code(code)
            if code is not None:
                self.codes[source] = code
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if len(self.codes) >= MAX_ENTRIES:
                self.codes = {}  # texts of versions long gone: start again
            self.codes[source] = code
            self.added += 1
        return code

    def save(self) -> None:
        if not self.added or self.path is None or sys.dont_write_bytecode:
            return
        self.added = 0
        try:
            data = _MAGIC + marshal.dumps({
                source: code if type(code) is bytes else marshal.dumps(code) for source, code in self.codes.items()
            })
        except ValueError:
            return
        if len(data) > MAX_TABLE_BYTES:
            return
        temporary = f"{self.path}.{os.getpid()}.tmp"
        try:
            os.makedirs(os.path.dirname(self.path), exist_ok=True)
            with open(temporary, "wb") as handle:
                handle.write(data)
            os.replace(temporary, self.path)
        except OSError:  # a read-only install, a full disk: the next run compiles again
            try:
                os.unlink(temporary)
            except OSError:
                pass


_TABLES: "dict[str, _Table]" = {}


def _path(name: str) -> "str | None":
    tag = sys.implementation.cache_tag
    if tag is None:  # no bytecode caching in this Python at all
        return None
    try:
        from importlib.util import cache_from_source

        beside = cache_from_source(os.path.join(os.path.dirname(os.path.abspath(__file__)), "__init__.py"))
    except (ImportError, NotImplementedError, ValueError):
        return None
    # The Python's full version too: bytecode may change within a cache tag's series.
    return os.path.join(os.path.dirname(beside), f"dataclass-methods-{name}.{tag}.{sys.hexversion:x}.marshal")


def _load(path: str) -> dict:
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_TABLE_BYTES + 1)
    except OSError:
        return {}
    if len(data) > MAX_TABLE_BYTES or not data.startswith(_MAGIC):
        return {}
    try:
        table = marshal.loads(data[len(_MAGIC):])
    except (ValueError, EOFError, TypeError):
        return {}
    if not isinstance(table, dict) or not all(type(key) is str and type(value) is bytes for key, value in table.items()):
        return {}
    return table


_CODE_TYPE = type(_load.__code__)


def _unmarshalled_code(data: bytes):
    """The code object a table's entry holds, or None when the entry is damaged."""
    try:
        code = marshal.loads(data)
    except (ValueError, EOFError, TypeError):
        return None
    return code if type(code) is _CODE_TYPE else None


def _table_for(globals) -> _Table:
    """kafkalint's own table for a class of a kafkalint module (dataclasses passes the
    globals of the class's module), the libraries' for any other."""
    module = globals.get("__name__", "") if isinstance(globals, dict) else ""
    name = "own" if module == "kafkalint" or str(module).startswith("kafkalint.") else "libraries"
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = _Table(name)
    return table


def _cached_exec(source, globals=None, locals=None, /, *args, **kwargs):
    if type(source) is str and not args and not kwargs:
        source = _table_for(globals).code_of(source)
    return builtins.exec(source, globals, locals, *args, **kwargs)


def save() -> None:
    """Write the tables to which this process added something (at exit: see install)."""
    for table in list(_TABLES.values()):
        table.save()


def install() -> None:
    """Route the `exec` calls of `dataclasses` through the tables (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    import dataclasses

    if "exec" in vars(dataclasses):  # someone else replaced it: leave theirs alone
        return
    dataclasses.exec = _cached_exec
    import atexit

    atexit.register(save)
