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

The table is kept beside kafkalint's own bytecode (`kafkalint/__pycache__`, or under
PYTHONPYCACHEPREFIX), as trusted as the `.pyc` files Python loads from there, never in a
folder a linted repository could write to; it is written only when Python writes bytecode
(not under PYTHONDONTWRITEBYTECODE), atomically, and only when something new was compiled.
A table that cannot be read, is of another Python, or is damaged is ignored and rewritten.
A Python whose `dataclasses` no longer calls `exec` simply does not use it.
"""

import builtins
import marshal
import os
import sys

# Text given to exec in any one process (kafkalint's classes and those of the libraries it
# imports, such as libcst's hundreds) stays far below these.
MAX_ENTRIES = 8192
MAX_TABLE_BYTES = 16 * 1024 * 1024

_MAGIC = b"kafkalint-dataclass-code-1\n"

_codes: dict = {}
_added = 0
_table_path = None
_installed = False


def _path() -> "str | None":
    tag = sys.implementation.cache_tag
    if tag is None:  # no bytecode caching in this Python at all
        return None
    try:
        from importlib.util import cache_from_source

        beside = cache_from_source(os.path.join(os.path.dirname(os.path.abspath(__file__)), "__init__.py"))
    except (ImportError, NotImplementedError, ValueError):
        return None
    # The Python's full version too: bytecode may change within a cache tag's series.
    return os.path.join(os.path.dirname(beside), f"dataclass-methods.{tag}.{sys.hexversion:x}.marshal")


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
    code_type = type(_load.__code__)
    if not isinstance(table, dict) or not all(type(key) is str and type(value) is code_type for key, value in table.items()):
        return {}
    return table


def _cached_exec(source, globals=None, locals=None, /, *args, **kwargs):
    global _added
    if type(source) is str and not args and not kwargs:
        code = _codes.get(source)
        if code is None:
            code = compile(source, "<string>", "exec", dont_inherit=True)
            if len(_codes) < MAX_ENTRIES:
                _codes[source] = code
                _added += 1
        source = code
    return builtins.exec(source, globals, locals, *args, **kwargs)


def save() -> None:
    """Write the table if this process compiled something new (at exit: see install)."""
    global _added
    if not _added or _table_path is None or sys.dont_write_bytecode:
        return
    _added = 0
    try:
        data = _MAGIC + marshal.dumps(_codes)
    except ValueError:
        return
    if len(data) > MAX_TABLE_BYTES:
        return
    folder = os.path.dirname(_table_path)
    temporary = f"{_table_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(folder, exist_ok=True)
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, _table_path)
    except OSError:  # a read-only install, a full disk: the next run compiles again
        try:
            os.unlink(temporary)
        except OSError:
            pass


def install() -> None:
    """Route the `exec` calls of `dataclasses` through the table (once per process)."""
    global _installed, _table_path, _codes
    if _installed:
        return
    _installed = True
    import dataclasses

    if "exec" in vars(dataclasses):  # someone else replaced it: leave theirs alone
        return
    _table_path = _path()
    if _table_path is not None:
        _codes = _load(_table_path)
    dataclasses.exec = _cached_exec
    import atexit

    atexit.register(save)
