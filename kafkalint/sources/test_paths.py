"""Whether a source file is test code: a client configured there is a test's fixture.

Kafka clients built in tests (an integration test's consumer that reads everything back, a
producer with retries=0 to fail fast) are configured for the test, not for production: the
rules about how a client behaves in production do not judge them (see Rule.test_code). That
holds for a client configured in a file under a test folder as for one built in test code
(`src/test/resources/application.properties`, `tests/fixtures/client.properties`).
"""

from __future__ import annotations

from typing import Any

# Folders of Maven/Gradle test source sets, and the usual Python test folders.
_TEST_FOLDERS = frozenset({"test", "tests", "androidTest", "integrationTest", "testFixtures"})


def is_test_code(display: str) -> bool:
    """Under a test source set or test folder, or a file named like a test (OrderTest.java,
    OrderIT.kt, test_orders.py, orders_test.py, conftest.py)."""
    parts = display.replace("\\", "/").split("/")
    if any(part in _TEST_FOLDERS for part in parts[:-1]):
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
