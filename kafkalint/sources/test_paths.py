"""Whether a source file is test code: a client configured there is a test's fixture.

Kafka clients built in tests (an integration test's consumer that reads everything back, a
producer with retries=0 to fail fast) are configured for the test, not for production: the
rules about how a client behaves in production do not judge them (see Rule.test_code). That
holds for a client configured in a file under a test folder as for one built in test code
(`src/test/resources/application.properties`, `tests/fixtures/client.properties`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

# Words that make a folder a test folder when its name begins or ends with one (split at -, _, .
# and camelCase humps): Maven/Gradle test source sets (androidTest, integrationTest,
# testFixtures), Python's tests, and the resources, data and end-to-end suites teams name after
# them (integration-tests, ksql-test, testresources, test_data, e2e). A word inside a longer
# name names a subject, not a test suite (kafka-tutorials' generate-test-data-streams), and
# `contest` or `latest` are words of their own. `testing` counts as a whole name only
# (kafka-rest's testing/, not demo-scene's testing-streams/).
_TEST_WORDS = frozenset({
    "test", "tests", "e2e", "testresources", "testdata", "testfixtures", "testutils", "testsupport",
})
# Folders of Maven/Gradle test source sets and the usual Python test folders: test code
# whatever surrounds them.
_TEST_SOURCE_SETS = frozenset({"test", "tests", "androidTest", "integrationTest", "testFixtures"})
_WORD_SEPARATORS = re.compile(r"[-_.\s]+|(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=4096)
def _is_test_folder(name: str) -> bool:
    words = [word.lower() for word in _WORD_SEPARATORS.split(name) if word]
    return bool(words) and (name.lower() == "testing" or words[0] in _TEST_WORDS or words[-1] in _TEST_WORDS)


def is_test_code(display: str) -> bool:
    """Under a test source set or test folder (`src/test`, `src/it`: Maven failsafe's integration
    tests, `tests`, `integration-tests`, `testresources`, ...), or a file named like a test
    (OrderTest.java, OrderIT.kt, test_orders.py, orders_test.py, conftest.py)."""
    parts = display.replace("\\", "/").split("/")
    folders = parts[:-1]
    if any(part in _TEST_SOURCE_SETS for part in folders):
        return True
    # A folder named after tests may hold an application whose main source set is production code. Only folders of a path shown relative to the
    # current directory are read so: above a file outside it (an absolute path) stand folders
    # of the machine, not of the project (pytest's /tmp/.../test_name0/).
    relative = not display.startswith("/") and display[1:2] != ":"
    if relative and "main" not in folders and any(_is_test_folder(part) for part in folders):
        return True
    if any(part == "it" and index and folders[index - 1] == "src" for index, part in enumerate(folders)):
        return True
    name = parts[-1]
    stem = name.rsplit(".", 1)[0]
    if name.endswith(".py"):
        return stem.startswith("test_") or stem.endswith("_test") or stem == "conftest"
    return stem.endswith(("Test", "Tests", "IT", "TestCase"))


def mark_test_clients(project: Any, settings: Any = None) -> None:
    """Every client whose file is test code is a test's fixture, whichever source read it."""
    for client in project.clients:
        if not client.in_test_code and is_test_code(client.anchor.path):
            client.in_test_code = True
