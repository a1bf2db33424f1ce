"""Java and Kotlin source: Kafka clients, topics and code facts from code, read with tree-sitter.

Nothing is compiled or executed. A file that imports nothing from Kafka, Spring Kafka or
SmallRye Reactive Messaging is dropped on its bytes before decoding (the `java` and `kotlin`
entries of kafkalint/formats.py); tree-sitter is imported only when a file gets that far. A file
the grammar cannot parse is skipped without a finding and never analysed (a damaged tree could
be misread): the grammars are not the compilers, and miss valid code (see read_jvm).
"""

from __future__ import annotations

from kafkalint.model import Project


def read_jvm(text: str, display: str, project: Project, language: str) -> None:
    """Record the clients, topics and code facts of one Java or Kotlin file."""
    from kafkalint.sources.jvm.grammar import parser

    data = text.encode("utf-8")
    tree = parser(language).parse(data)
    broken = _first_error(tree.root_node, missing_counts=(language == "java"))
    if broken is not None:
        # Neither grammar is the compiler: tree-sitter-java 0.23 rejects valid Java 8 type
        # annotations on varargs (`String @Nullable ... topics`, all over Spring Kafka), the Kotlin
        # grammar a one-line `companion object { ... }`. An error finding there would be a false
        # alarm, and the compiler reports real syntax errors anyway: the file is skipped, never
        # misread.
        return
    from kafkalint.sources.jvm.analysis import FileAnalysis

    FileAnalysis(tree, data, text, display, language, project).run()


def _first_error(root, missing_counts: bool):
    """The first ERROR node (or, when `missing_counts`, MISSING token) in source order, found
    through error-bearing subtrees only with an explicit stack (never recursion). The Kotlin
    grammar inserts MISSING statement separators into valid one-line class bodies: for Kotlin
    those are not errors."""
    if not root.has_error:
        return None
    stack = [root]
    while stack:
        node = stack.pop()
        if node.is_error or (missing_counts and node.is_missing):
            return node
        stack.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
    return None


def read_java(text: str, display: str, project: Project) -> None:
    """The reader of the `java` format (kafkalint/formats.py)."""
    read_jvm(text, display, project, "java")


def read_kotlin(text: str, display: str, project: Project) -> None:
    """The reader of the `kotlin` format (kafkalint/formats.py)."""
    read_jvm(text, display, project, "kotlin")
