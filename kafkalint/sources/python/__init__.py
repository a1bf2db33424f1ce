"""Python source: client constructions and poll-loop facts from code, read with libcst.

The analysed file is parsed, never imported or executed. Files that do not mention a Kafka
client module are dropped before any parse.
"""

from __future__ import annotations

from kafkalint.model import Project

# Top-level module names of the clients kafkalint reads; a file naming none cannot build one.
CLIENT_MODULES = ("confluent_kafka", "kafka", "aiokafka")


def mentions_kafka(text: str) -> bool:
    """Cheap pre-parse filter: does the text name any Kafka client module at all?"""
    return "kafka" in text


def read_python(text: str, display: str, project: Project) -> None:
    """Record the clients and code facts of one Python file in the project."""
    return None
