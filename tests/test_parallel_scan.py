"""Reading (and parsing the Java and Kotlin of) a large tree over several forked processes: the
result is exactly the sequential one, and a child that fails costs only speed."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path

import pytest

from kafkalint import engine, forked
from kafkalint.engine import run
from kafkalint.settings import Settings
from tests.conftest import write_files

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="kafkalint forks only on Linux")

PARENT = os.getpid()


def _pid_of(index: int) -> tuple[int, int]:
    time.sleep(0.002)  # long enough for a forked child to take some of the batches
    return index, os.getpid()


@linux_only
def test_indices_are_dealt_to_forked_children_and_come_back_in_order():
    assert forked.can_fork()
    results = forked.map_dealt(_pid_of, 200, 2)
    assert [index for index, _pid in results] == list(range(200))
    pids = {pid for _index, pid in results}
    assert os.getpid() in pids and len(pids) == 2  # this process took batches, and one child did


def _slow_first_item(index: int) -> int:
    time.sleep(0.4 if index == 0 else 0.001)
    return os.getpid()


@linux_only
def test_a_process_that_drew_a_costly_item_is_not_waited_for():
    """The first item costs four hundred times each other one: the process that takes it
    is busy with it while the other takes batch after batch, and does most of the items (with
    the items dealt in two fixed halves, each would do half)."""
    pids = forked.map_dealt(_slow_first_item, 400, 2)
    assert sum(1 for pid in pids if pid != pids[0]) > 250


def _fails_in_children(index: int) -> int:
    if os.getpid() != PARENT:
        if index % 2:
            raise ValueError("a bug that shows only in the child")
        os.kill(os.getpid(), signal.SIGKILL)  # as if the kernel had killed it
    time.sleep(0.001)
    return index * 10


@linux_only
@pytest.mark.parametrize("jobs", [2, 3])
def test_a_child_that_raises_or_dies_costs_only_speed(jobs):
    assert os.getpid() == PARENT
    assert forked.map_dealt(_fails_in_children, 50, jobs) == [index * 10 for index in range(50)]


@linux_only
def test_a_process_with_other_threads_never_forks():
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert not forked.can_fork()
        results = forked.map_dealt(_pid_of, 20, 2)
    finally:
        stop.set()
        helper.join()
    assert {pid for _index, pid in results} == {os.getpid()}


def _child_pids() -> list[int]:
    try:
        with open(f"/proc/{os.getpid()}/task/{os.getpid()}/children", encoding="ascii") as listing:
            return [int(pid) for pid in listing.read().split()]
    except OSError:
        return []


@linux_only
def test_meanwhile_runs_here_once_while_the_children_work():
    seen: list[tuple[int, list[int]]] = []
    results = forked.map_dealt(_pid_of, 200, 2, meanwhile=lambda: seen.append((os.getpid(), _child_pids())))
    assert [index for index, _pid in results] == list(range(200))
    assert len(seen) == 1
    here, children = seen[0]
    assert here == os.getpid()
    assert len(children) == 1  # the child was already at work
    assert children[0] in {pid for _index, pid in results}


def test_meanwhile_is_not_called_when_nothing_is_forked():
    called: list[int] = []
    assert forked.map_dealt(_pid_of, 5, 1, meanwhile=lambda: called.append(1)) == [(index, os.getpid()) for index in range(5)]
    assert called == []


def _slowly(index: int) -> int:
    time.sleep(0.05)
    return index


@linux_only
def test_what_meanwhile_raises_is_raised_and_the_children_are_stopped():
    """400 items of 50 ms: a child left to finish them would take 20 s."""

    def fails() -> None:
        raise RuntimeError("the rules could not be loaded")

    started = time.monotonic()
    with pytest.raises(RuntimeError, match="could not be loaded"):
        forked.map_dealt(_slowly, 400, 2, meanwhile=fails)
    assert time.monotonic() - started < 5
    assert _child_pids() == []  # stopped and reaped


def test_one_job_or_one_item_is_computed_here():
    assert forked.map_dealt(_pid_of, 5, 1) == [(index, os.getpid()) for index in range(5)]
    assert forked.map_dealt(_pid_of, 1, 4) == [(0, os.getpid())]
    assert forked.map_dealt(_pid_of, 0, 4) == []


def test_jobs_come_from_the_environment_or_the_cores(monkeypatch):
    monkeypatch.setenv("KAFKALINT_JOBS", "3")
    assert forked.available_jobs() == 3
    monkeypatch.setenv("KAFKALINT_JOBS", "many")
    assert 1 <= forked.available_jobs() <= forked.MAX_DEFAULT_JOBS


JAVA_PRODUCER = """\
package com.acme;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

public class Orders{index} {{
    public void send() {{
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "broker:9092");
        props.put(ProducerConfig.ACKS_CONFIG, "0");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {{
            producer.send(new ProducerRecord<>("orders", "key", "value"));
        }}
    }}
}}
"""

PYTHON_CONSUMER = """\
from confluent_kafka import Consumer

consumer = Consumer({{"bootstrap.servers": "b:9092", "group.id": "g{index}", "enable.auto.commit": True}})
consumer.subscribe(["orders"])
while True:
    message = consumer.poll(1.0)
    consumer.commit(asynchronous=False)
"""


def _tree(base: Path) -> None:
    files: dict[str, str] = {}
    for index in range(6):
        files[f"svc/src/main/java/com/acme/Orders{index}.java"] = JAVA_PRODUCER.format(index=index)
        files[f"py/consumer_{index}.py"] = PYTHON_CONSUMER.format(index=index)
    for index in range(30):
        files[f"svc/src/main/java/com/acme/util/Plain{index}.java"] = f"package com.acme.util;\nclass Plain{index} {{}}\n"
        files[f"py/plain_{index}.py"] = f"VALUE = {index}\n"
    files["svc/src/main/java/com/acme/Broken.java"] = "import org.apache.kafka.clients.producer.KafkaProducer;\nclass {\n"
    write_files(base, files)
    os.mkfifo(base / "svc/src/main/java/com/acme/Pipe.java")  # never opened for reading: refused


def _lint(tree: Path, cache_folder: Path, jobs: str, monkeypatch, cache: bool) -> list[tuple]:
    monkeypatch.chdir(tree)
    monkeypatch.setenv("KAFKALINT_JOBS", jobs)
    monkeypatch.setenv("KAFKALINT_CACHE_DIR", str(cache_folder))
    result = run([Path(".")], Settings(), options={"cache": cache, "project_context": True})
    return [(f.location, f.code, f.message, f.related) for f in result.findings]


@linux_only
@pytest.mark.parametrize("cache", [False, True], ids=["no-cache", "cache"])
def test_a_tree_read_over_two_processes_gives_exactly_the_sequential_findings(tmp_path, monkeypatch, cache):
    tree = tmp_path / "tree"
    _tree(tree)
    monkeypatch.setattr(engine, "PARALLEL_SCAN_FILES", 10)
    spread: list[int] = []
    real_map = forked.map_dealt
    monkeypatch.setattr(
        forked, "map_dealt", lambda function, count, jobs, meanwhile: (spread.append(jobs), real_map(function, count, jobs, meanwhile))[1]
    )
    loaded_while_scanning: list[bool] = []
    real_load = engine.load_catalogue
    monkeypatch.setattr(engine, "load_catalogue", lambda *rest: (loaded_while_scanning.append(bool(spread)), real_load(*rest))[1])
    sequential = _lint(tree, tmp_path / "cache-1", "1", monkeypatch, cache)
    assert spread == []
    parallel = _lint(tree, tmp_path / "cache-2", "2", monkeypatch, cache)
    assert spread == [2]
    # The rules were loaded after the sequential scan, and while the children scanned.
    assert loaded_while_scanning == [False, True]
    assert parallel == sequential
    codes = [code for _location, code, _message, _related in sequential]
    assert codes.count("KL101") == 6  # acks=0 in each Java producer, read in either process
    assert any(location.path.endswith("Pipe.java") and code == "KL001" for location, code, _m, _r in sequential)
    if cache:  # what the children parsed was stored: a warm run parses nothing and says the same
        parsed: list[str] = []
        import kafkalint.sources as sources

        real = sources.read_bytes_as
        monkeypatch.setattr(sources, "read_bytes_as", lambda data, display, *rest: (parsed.append(display), real(data, display, *rest))[1])
        warm = _lint(tree, tmp_path / "cache-2", "1", monkeypatch, cache)  # here, where the spy sees it
        assert warm == sequential
        assert parsed == []


def _sent(payload: bytes, claimed: int) -> tuple[bool, object]:
    reading, writing = os.pipe()
    os.write(writing, claimed.to_bytes(forked._LENGTH_BYTES, "little") + payload)
    os.close(writing)
    return forked._receive((0, reading))


def test_a_result_is_taken_only_when_it_is_as_long_as_the_child_said():
    import pickle

    whole = pickle.dumps({0: "done"})
    assert _sent(whole, len(whole)) == (True, {0: "done"})
    assert _sent(whole[:-3], len(whole)) == (False, None)  # the child died while writing
    assert _sent(b"", 0) == (False, None)  # said nothing that unpickles
    assert forked._receive(None) == (False, None)  # never started


def test_a_selection_that_matches_no_rule_fails_before_any_file_is_read_in_one_process(tmp_path, monkeypatch):
    """With one process nothing overlaps the loading of the rules, so it comes first: a typo in
    --select on a large tree fails at once."""
    from kafkalint.settings import SettingsError

    tree = tmp_path / "tree"
    _tree(tree)
    monkeypatch.chdir(tree)
    monkeypatch.setenv("KAFKALINT_JOBS", "1")
    scanned: list[int] = []
    real_scan = engine._scan_files
    monkeypatch.setattr(engine, "_scan_files", lambda files, *rest: (scanned.append(len(files)), real_scan(files, *rest))[1])
    with pytest.raises(SettingsError, match="no rule matches 'KL999'"):
        run([Path(".")], Settings(select=["KL999"]), options={"project_context": True})
    assert scanned == []
