"""Shapes of Python statements the walk needs: blocks of a compound statement, the
expressions a statement runs, whether a loop breaks out or a function catches its errors.
Pure functions over libcst nodes, no state.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst

from kafkalint.sources.python.syntax import dotted

# Exceptions a handler may catch without handling the errors processing raises.
_HANDLED_NOTHING = {"KeyboardInterrupt", "SystemExit", "GeneratorExit", "asyncio.CancelledError", "CancelledError"}


def parameter_name(function: cst.FunctionDef, index: int, keyword: str | None) -> str | None:
    parameters = list(function.params.posonly_params) + list(function.params.params)
    if keyword is not None:
        names = {p.name.value for p in parameters} | {p.name.value for p in function.params.kwonly_params}
        return keyword if keyword in names else None
    if parameters and parameters[0].name.value in ("self", "cls"):
        parameters = parameters[1:]
    if index < len(parameters):
        return parameters[index].name.value
    return None


def callee_label(func: cst.BaseExpression) -> str:
    return dotted(func) or "a call"


def handles_errors(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    caught = handler.type
    names = [dotted(element.value) for element in caught.elements] if isinstance(caught, cst.Tuple) else [dotted(caught)]
    return any(name is None or name not in _HANDLED_NOTHING for name in names)


def statements_of(body: cst.CSTNode) -> list[cst.CSTNode]:
    if isinstance(body, cst.IndentedBlock):
        return list(body.body)
    if isinstance(body, cst.SimpleStatementSuite):
        return list(body.body)  # `if x: a; b` on one line: its small statements
    return []


def bodies_of(node: cst.CSTNode) -> Iterator[tuple[cst.CSTNode, list[cst.CSTNode]]]:
    """(body, its statements) of any compound statement (if/for/while/try/with/match/...)."""
    body = getattr(node, "body", None)
    if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite)):
        yield body, statements_of(body)
    orelse = getattr(node, "orelse", None)
    while orelse is not None:
        yield orelse.body, statements_of(orelse.body)
        if not isinstance(orelse, cst.If):
            break
        orelse = orelse.orelse
    for handler in getattr(node, "handlers", ()) or ():
        yield handler.body, statements_of(handler.body)
    final = getattr(node, "finalbody", None)
    if final is not None:
        yield final.body, statements_of(final.body)
    for case in getattr(node, "cases", ()) or ():
        yield case.body, statements_of(case.body)


def blocks_of(node: cst.CSTNode) -> Iterator[list[cst.CSTNode]]:
    for _body, block in bodies_of(node):
        yield block


def expressions(statement: cst.CSTNode, into_loops: bool) -> Iterator[cst.CSTNode]:
    """Expressions a statement runs, nested definitions never. With into_loops=False the
    bodies of nested loops are left out (a loop body's *own* work: their iterables yes)."""
    if isinstance(statement, cst.SimpleStatementLine):
        yield from statement.body
        return
    if isinstance(statement, cst.BaseSmallStatement):
        yield statement
        return
    if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
        return
    if isinstance(statement, cst.For):
        yield statement.iter
    elif isinstance(statement, cst.While):
        yield statement.test
    elif isinstance(statement, cst.If):
        yield statement.test
    elif isinstance(statement, cst.With):
        for item in statement.items:
            yield item.item
    if not into_loops and isinstance(statement, (cst.For, cst.While)):
        return
    for block in blocks_of(statement):
        for inner in block:
            yield from expressions(inner, into_loops)


def own_expressions(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return expressions(statement, into_loops=False)


def all_expressions(statement: cst.CSTNode) -> Iterator[cst.CSTNode]:
    return expressions(statement, into_loops=True)


def catches_inside(function: cst.FunctionDef) -> bool:
    """Does the function wrap its work in try/except at its top level?"""
    return any(
        isinstance(statement, (cst.Try, cst.TryStar)) and any(handles_errors(handler) for handler in statement.handlers)
        for statement in statements_of(function.body)
    )


def breaks_out(loop: cst.CSTNode) -> bool:
    """Does the loop's own body (not a nested loop or function) contain `break`?"""
    pending = list(statements_of(loop.body))
    while pending:
        statement = pending.pop()
        if isinstance(statement, cst.Break):
            return True
        if isinstance(statement, cst.SimpleStatementLine):
            pending.extend(statement.body)
        elif not isinstance(statement, (cst.For, cst.While, cst.FunctionDef, cst.ClassDef)):
            for block in blocks_of(statement):
                pending.extend(block)
    return False


def targets_of(node: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    if isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            yield from targets_of(element.value)
    else:
        yield node
