"""Python source: Kafka clients and poll-loop facts from code, read with libcst.

The analysed file is parsed, never imported or executed. A file that names no Kafka client
package is dropped before any parse (a plain substring search), and libcst is imported only
when a file gets that far.
"""

from __future__ import annotations

import os
import re

from kafkalint.model import ParseProblem, Project
from kafkalint.sources.read_problems import parse_problem

# `import kafka`, `from kafka.admin import ...`, `import os, aiokafka`: an import naming a
# client package, tested only on the lines where "kafka" occurs at all.
_CLIENT_IMPORT = re.compile(r"[ \t]*(?:from|import)[ \t]+[^\n]*\b(?:confluent_kafka|aiokafka|kafka)\b")


# Set to parse every file whole (no blanking of unrelated definitions): for benchmarks and
# for ruling the blanking out when a result looks wrong.
PARSE_WHOLE_FILES = "KAFKALINT_PARSE_WHOLE_FILES"


def mentions_kafka(text: str) -> bool:
    """Cheap pre-parse filter: does the file import a Kafka client package at all?"""
    position = text.find("kafka")
    while position >= 0:
        line_start = text.rfind("\n", 0, position) + 1
        line_end = text.find("\n", position)
        if _CLIENT_IMPORT.match(text, line_start, len(text) if line_end < 0 else line_end):
            return True
        position = text.find("kafka", position + 5 if line_end < 0 else line_end)
    return False


# Deepest expression or statement nesting (in AST levels) handed to libcst, whose parse time
# grows with the square of it: a 1,000-term `1+1+...` chain costs it seconds, 3,000 terms half
# a minute. CPython itself stops brackets at 200 levels and blocks at 100; real code stays far
# below this.
MAX_NESTING = 200


def read_python(text: str, display: str, project: Project) -> None:
    """Record the clients and code facts of one Python file in the project."""
    # CPython's own (C) parser vouches for the file first: what it refuses (a syntax error, an
    # integer over 4,300 digits, an identifier character its Unicode tables do not know,
    # nesting beyond its limits) never reaches libcst, whose native parser can crash on it.
    problem = _python_syntax_problem(text, display)
    if problem is not None:
        project.problems.append(problem)
        return
    import libcst

    from kafkalint.sources.python.relevance import blank_unrelated_definitions

    parsed_text, blanked = (text, 0) if os.environ.get(PARSE_WHOLE_FILES) else blank_unrelated_definitions(text)
    try:
        try:
            module = libcst.parse_module(parsed_text)
        except libcst.ParserSyntaxError:
            if not blanked:
                raise
            parsed_text = text  # the blanking cut a block at the wrong line: parse it all
            module = libcst.parse_module(text)
    except libcst.ParserSyntaxError as error:
        project.problems.append(_syntax_problem(text, display, error))
        return
    except libcst.CSTValidationError as error:
        # libcst's own checks (an identifier test stricter or older than CPython's): the file
        # is valid Python, kafkalint just cannot read it.
        reason = str(error).splitlines()[0] if str(error) else "libcst refused a node"
        project.problems.append(parse_problem(display, f"libcst cannot parse this file ({reason})"))
        return
    except RecursionError:
        project.problems.append(parse_problem(display, "Python code nested too deep to parse safely"))
        return
    from kafkalint.sources.python.analysis import ModuleAnalysis

    try:
        ModuleAnalysis(module, parsed_text, display, project).run()
    except RecursionError:
        project.problems.append(parse_problem(display, "Python code nested too deep to analyse safely"))


def _python_syntax_problem(text: str, display: str) -> ParseProblem | None:
    """A parse-error if CPython's parser refuses the file or it nests deeper than MAX_NESTING."""
    import ast

    try:
        tree = ast.parse(text, filename=display)
    except SyntaxError as error:
        line, column = error.lineno or 1, error.offset or 1
        return parse_problem(display, f"invalid Python syntax: {error.msg} (line {line})", line, column)
    except (RecursionError, MemoryError):
        return _too_deep(display, 1)
    except ValueError as error:  # NUL bytes and the like: CPython refuses the source
        return parse_problem(display, f"not Python source CPython accepts ({error})")
    line = _line_nested_deeper_than(tree, MAX_NESTING)
    if line is not None:
        return _too_deep(display, line)
    return None


def _too_deep(display: str, line: int) -> ParseProblem:
    return parse_problem(
        display, f"Python code nested more than {MAX_NESTING} levels deep (line {line}); refused to parse it safely", line
    )


def _line_nested_deeper_than(tree: object, limit: int) -> int | None:
    """The line of the first node nested deeper than `limit`, or None (an iterative walk:
    the tree may be deeper than Python's recursion limit)."""
    import ast

    children = ast.iter_child_nodes
    stack = [(tree, 0, 1)]
    while stack:
        node, depth, line = stack.pop()
        line = getattr(node, "lineno", line)
        if depth > limit:
            return line
        depth += 1
        stack.extend((child, depth, line) for child in children(node))
    return None


def _syntax_problem(text: str, display: str, error: Exception) -> ParseProblem:
    """A parse-error at the line Python itself reports (libcst's native parser often points
    at the token after the mistake); compiling to an AST runs nothing."""
    import ast

    line = getattr(error, "raw_line", 1) or 1
    column = (getattr(error, "raw_column", 0) or 0) + 1
    reason = str(getattr(error, "message", "")) or "invalid syntax"
    try:
        ast.parse(text, filename=display)
    except SyntaxError as syntax:
        line = syntax.lineno or line
        column = syntax.offset or column
        reason = syntax.msg or reason
    except (ValueError, RecursionError, MemoryError):
        pass
    else:
        reason = f"libcst cannot parse this syntax ({reason.splitlines()[0]})"
    return parse_problem(display, f"invalid Python syntax: {reason} (line {line})", line, column)
