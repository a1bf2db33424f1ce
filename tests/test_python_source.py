"""Python client code: configurations resolved statically, the same config rules, code facts."""

from __future__ import annotations

import textwrap
from pathlib import Path

from kafkalint.model import UNKNOWN, Dialect, Project, Role
from kafkalint.sources.python import mentions_kafka, read_python


def _read(code: str, display: str = "app.py") -> Project:
    project = Project()
    read_python(textwrap.dedent(code), display, project)
    return project


def _only_client(project: Project):
    assert len(project.clients) == 1, project.clients
    return project.clients[0]


def _findings(result, code: str) -> list[tuple[int, int, str]]:
    return [(f.location.line, f.location.column, f.message) for f in result.findings if f.code == code]


# --- the same config rules on code ----------------------------------------------------------


def test_acks_zero_in_python_dict_points_at_the_acks_key(lint):
    result = lint({"app.py": 'from confluent_kafka import Producer\n\np = Producer({"bootstrap.servers": "b:9092", "acks": 0})\n'})
    assert _findings(result, "KL101") == [(3, 46, _findings(result, "KL101")[0][2])]
    assert "acks=0 (line 3)" in _findings(result, "KL101")[0][2]


def test_acks_zero_as_aiokafka_keyword_points_at_the_keyword(lint):
    result = lint({"app.py": 'from aiokafka import AIOKafkaProducer\n\np = AIOKafkaProducer(bootstrap_servers="b:9092", acks=0)\n'})
    assert [(line, column) for line, column, _ in _findings(result, "KL101")] == [(3, 50)]


def test_a_default_finding_points_at_the_constructor_call(lint):
    result = lint({"app.py": 'import confluent_kafka as ck\n\nc = ck.Consumer({"bootstrap.servers": "b:9092", "group.id": "g"})\n'})
    findings = _findings(result, "KL201")
    assert [(line, column) for line, column, _ in findings] == [(3, 5)]
    assert "(librdkafka " in findings[0][2] and " default)" in findings[0][2]


def test_unknown_values_never_fire(lint):
    code = """\
        import os
        from confluent_kafka import Producer, Consumer

        acks = os.getenv("ACKS", "0")
        p1 = Producer({"bootstrap.servers": "b:9092", "acks": os.environ["ACKS"]})
        p2 = Producer({"bootstrap.servers": "b:9092", "acks": acks})
        p3 = Producer({"bootstrap.servers": "b:9092", "acks": f"{acks}"})
        p4 = Producer({"bootstrap.servers": "b:9092", "acks": compute()})
        c = Consumer({**load_settings(), "group.id": "g"})
    """
    result = lint({"app.py": textwrap.dedent(code)})
    assert _findings(result, "KL101") == []
    assert _findings(result, "KL201") == []


# --- static resolution ----------------------------------------------------------------------


def test_module_constant_spread_and_override_resolve_to_the_override():
    project = _read(
        """\
        from confluent_kafka import Producer as P

        BASE = {"bootstrap.servers": "b:9092", "acks": "all", "linger.ms": 5}

        def make():
            conf = {**BASE, "acks": 0}
            conf["linger.ms"] = 20
            conf.update({"compression.type": "zstd"}, retries=3)
            return P(**conf)
        """
    )
    client = _only_client(project)
    assert (client.role, client.dialect, client.origin) == (Role.PRODUCER, Dialect.LIBRDKAFKA, "python")
    assert client.all_settings_known is True
    acks = client.settings["request.required.acks"]
    assert (acks.value, acks.key_location.line, acks.key_location.column, acks.location.column) == ("0", 6, 21, 29)
    assert client.settings["queue.buffering.max.ms"].key_location.line == 7
    assert client.settings["compression.codec"].value == "zstd"
    assert client.settings["message.send.max.retries"].key_location.line == 8
    assert client.anchor.line == 9 and client.anchor.column == 12


def test_dict_copies_and_keyword_dicts_resolve():
    project = _read(
        """\
        from confluent_kafka import Consumer

        BASE = dict(group_id_unused=1)
        SHARED = {"bootstrap.servers": "b:9092"}

        def run():
            conf = dict(SHARED)
            conf["group.id"] = "billing"
            del conf["bootstrap.servers"]
            return Consumer(conf)
        """
    )
    client = _only_client(project)
    assert set(client.settings) == {"group.id"}


def test_kafka_python_keywords_map_to_dotted_names_and_positional_topics():
    project = _read(
        """\
        from kafka import KafkaConsumer
        TOPIC = "payments"
        consumer = KafkaConsumer("orders", TOPIC, group_id="billing", enable_auto_commit=False)
        """
    )
    client = _only_client(project)
    assert client.dialect is Dialect.KAFKA_PYTHON
    assert client.settings["enable.auto.commit"].value is False
    assert client.settings["enable.auto.commit"].written_key == "enable_auto_commit"
    assert [(topic, location.column) for topic, location in client.topics] == [("orders", 26), ("payments", 36)]


def test_a_value_before_an_unknown_spread_or_update_may_be_replaced_a_keyword_may_not():
    project = _read(
        """\
        from confluent_kafka import Producer
        from kafka import KafkaConsumer

        def make(overrides, settings):
            conf = {"acks": "1", **overrides, "linger.ms": 5}
            conf["retries"] = 0
            conf.update(settings)
            producer = Producer(conf)
            consumer = KafkaConsumer(group_id="billing", enable_auto_commit=True, **settings)
            return producer, consumer
        """
    )
    producer, consumer = sorted(project.clients, key=lambda client: client.anchor.line)
    # The spread may replace acks, the update may replace every entry before it.
    assert {key: setting.value for key, setting in producer.settings.items()} == {
        "request.required.acks": UNKNOWN, "queue.buffering.max.ms": UNKNOWN, "message.send.max.retries": UNKNOWN,
    }
    # A keyword given twice is a TypeError: **settings cannot replace enable_auto_commit.
    assert consumer.settings["enable.auto.commit"].value is True and consumer.all_settings_known is False


def test_unknown_spread_marks_the_config_incomplete():
    project = _read(
        """\
        import os
        from confluent_kafka import Consumer
        consumer = Consumer({"group.id": "g", **settings_from(os.environ)})
        """
    )
    client = _only_client(project)
    assert client.all_settings_known is False
    from kafkalint.knowledge import effective

    assert effective(client, "enable.auto.commit").value is UNKNOWN


def test_producer_topics_and_key_usage_are_recorded():
    project = _read(
        """\
        from confluent_kafka import Producer
        OUT = "enriched"
        producer = Producer({"bootstrap.servers": "b:9092"})
        producer.produce("orders", b"v", b"k")
        producer.produce(topic=OUT, value=b"v")
        producer.produce(dynamic_topic(), b"v")
        producer.flush()
        """
    )
    client = _only_client(project)
    assert [(topic, location.line) for topic, location in client.topics] == [("orders", 4), ("enriched", 5)]
    assert client.extras["keyed"] is True


def test_unkeyed_producer_is_not_marked_keyed_and_consumer_topics_come_from_subscribe():
    project = _read(
        """\
        from confluent_kafka import Producer, Consumer
        producer = Producer({"bootstrap.servers": "b:9092"})
        producer.produce("orders", value=b"v", key=None)
        consumer = Consumer({"group.id": "g"})
        consumer.subscribe(["orders", "refunds"])
        """
    )
    producer, consumer = project.clients
    assert "keyed" not in producer.extras
    assert [topic for topic, _ in consumer.topics] == ["orders", "refunds"]


def test_asyncio_confluent_clients_are_recognised():
    project = _read(
        """\
        from confluent_kafka.aio import AIOProducer, AIOConsumer
        async def main():
            producer = AIOProducer({"bootstrap.servers": "b:9092", "acks": 1}, max_workers=2)
            consumer = AIOConsumer({"group.id": "g"})
        """
    )
    assert [(c.role, c.dialect, c.extras["python_class"]) for c in project.clients] == [
        (Role.PRODUCER, Dialect.LIBRDKAFKA, "AIOProducer"),
        (Role.CONSUMER, Dialect.LIBRDKAFKA, "AIOConsumer"),
    ]
    assert "max_workers" not in project.clients[0].settings


# --- safety and robustness -------------------------------------------------------------------


def test_linting_never_imports_or_runs_the_analysed_code(lint, tmp_path: Path):
    marker = tmp_path / "executed.marker"
    code = f"""\
        from pathlib import Path
        Path({str(marker)!r}).write_text("imported")
        from confluent_kafka import Producer
        Producer({{"acks": 0}})
        if __name__ == "__main__":
            Path({str(marker)!r}).write_text("run")
        """
    result = lint({"side_effect.py": textwrap.dedent(code)})
    assert [f.code for f in result.findings if f.code == "KL101"] == ["KL101"]  # it was read
    assert not marker.exists()


def test_syntax_error_is_a_parse_error_at_its_line_and_other_files_are_still_linted(lint):
    result = lint(
        {
            "broken.py": "from confluent_kafka import Producer\n\ndef f(:\n    pass\n",
            "good.py": 'from confluent_kafka import Producer\nProducer({"acks": 0})\n',
        }
    )
    parse_errors = [(f.location.path, f.location.line, f.message) for f in result.findings if f.name == "parse-error"]
    assert len(parse_errors) == 1
    assert parse_errors[0][:2] == ("broken.py", 3)
    assert "invalid Python syntax" in parse_errors[0][2]
    assert [f.location.path for f in result.findings if f.code == "KL101"] == ["good.py"]


def test_files_without_a_kafka_import_are_not_parsed(lint):
    assert not mentions_kafka("def f(:\n    'kafka is a writer'\n")
    assert mentions_kafka("import os, kafka\n")
    assert mentions_kafka("from confluent_kafka.admin import AdminClient\n")
    result = lint({"notes.py": "# about kafka\ndef f(:\n"})
    assert result.findings == []


def test_positions_stay_exact_when_a_statement_text_repeats():
    project = _read(
        """\
        from confluent_kafka import Producer

        def make():
            return Producer({"acks": 0})

        def make():
            return Producer({"acks": 0})
        """
    )
    assert [client.settings["request.required.acks"].key_location.line for client in project.clients] == [4, 7]


# --- acceptance: a careful consumer loop is silent --------------------------------------------

CAREFUL_CONSUMER = '''\
import json
import logging

from confluent_kafka import Consumer, KafkaException, Producer

log = logging.getLogger(__name__)

CONSUMER_CONFIG = {
    "bootstrap.servers": "broker:9092",
    "group.id": "billing",
    "enable.auto.commit": False,
}
DEAD_LETTERS = {"bootstrap.servers": "broker:9092", "acks": "all", "enable.idempotence": True}


def process(order):
    log.info("order %s", order["id"])


def run():
    consumer = Consumer(CONSUMER_CONFIG)
    dead_letters = Producer(DEAD_LETTERS)
    consumer.subscribe(["orders"])
    try:
        while True:
            messages = consumer.consume(num_messages=500, timeout=1.0)
            for message in messages:
                if message.error():
                    raise KafkaException(message.error())
                try:
                    process(json.loads(message.value()))
                except Exception as error:
                    dead_letters.produce("orders.dlt", value=message.value(), headers={"error": str(error)})
                    dead_letters.poll(0)
            consumer.commit(asynchronous=False)
    finally:
        consumer.close()
        dead_letters.flush()
'''


def test_a_careful_consumer_loop_produces_no_warning(lint):
    result = lint({"consumer_app.py": CAREFUL_CONSUMER})
    assert [(f.code, f.location.line, f.message) for f in result.findings if f.severity.rank >= 2] == []
    assert len(result.project.clients) == 2  # it was analysed, not skipped


def test_the_same_loop_without_its_safeguards_fires_each_rule(lint):
    careless = (
        CAREFUL_CONSUMER.replace("                if message.error():\n                    raise KafkaException(message.error())\n", "")
        .replace("    finally:\n        consumer.close()\n        dead_letters.flush()\n", "    except KeyboardInterrupt:\n        pass\n")
        .replace(
            "                try:\n                    process(json.loads(message.value()))\n                except Exception as error:\n"
            "                    dead_letters.produce(\"orders.dlt\", value=message.value(), headers={\"error\": str(error)})\n"
            "                    dead_letters.poll(0)\n",
            "                process(json.loads(message.value()))\n                consumer.commit(message, asynchronous=False)\n",
        )
    )
    result = lint({"consumer_app.py": careless})
    codes = sorted((f.code, f.location.line) for f in result.findings if f.code.startswith("KL5"))
    assert codes == [("KL501", 29), ("KL503", 28), ("KL504", 28), ("KL509", 21)]


# --- definitions that never touch Kafka are not parsed by libcst ------------------------------

UNRELATED = '''\
def summarise(rows):
    """Totals per key."""
    return {key: sum(row[key] for row in rows) for key in rows[0]}


'''


def test_unrelated_definitions_are_blanked_but_lines_keep_their_numbers():
    from kafkalint.sources.python.relevance import blank_unrelated_definitions

    code = "from confluent_kafka import Producer\n\n\n" + UNRELATED + 'p = Producer({"acks": 0})\n'
    reduced, blanked = blank_unrelated_definitions(code)
    assert blanked == 1
    assert reduced.count("\n") == code.count("\n") and "summarise" not in reduced
    project = _read(code)
    assert _only_client(project).settings["request.required.acks"].key_location.line == 9


def test_a_syntax_error_inside_a_skipped_definition_is_still_reported(lint):
    code = "from confluent_kafka import Producer\n\n\ndef broken(:\n    pass\n\n\nProducer({})\n"
    result = lint({"app.py": code})
    assert [(f.name, f.location.line) for f in result.findings if f.name == "parse-error"] == [("parse-error", 4)]


def test_a_block_the_text_scan_cuts_wrongly_falls_back_to_a_whole_parse():
    code = (
        "from confluent_kafka import Producer\n\n\n"
        'def helper():\n    text = """\nnot indented\n"""\n    return text\n\n\n'
        'p = Producer({"acks": 0})\n'
    )
    project = _read(code)
    assert _only_client(project).settings["request.required.acks"].key_location.line == 11


def test_a_blocking_helper_called_from_a_poll_loop_is_kept_and_found(lint):
    code = (
        "import time\nfrom confluent_kafka import Consumer\n\n\n" + UNRELATED +
        "def backoff():\n    time.sleep(3)\n\n\n"
        'consumer = Consumer({"group.id": "g"})\n'
        "while True:\n    msg = consumer.poll(1.0)\n    backoff()\n"
    )
    result = lint({"app.py": code})
    assert [(f.location.line, f.location.column) for f in result.findings if f.code == "KL502"] == [(17, 5)]


# --- clients reached through self, parameters and every library's loop shape ------------------

SERVICE = 'import atexit\nimport time\nfrom confluent_kafka import Consumer, Producer\nfrom kafka import KafkaConsumer\nfrom aiokafka import AIOKafkaConsumer\n\n\nclass Worker:\n    def __init__(self, conf):\n        self.consumer = Consumer(conf)\n        self.producer = Producer({"bootstrap.servers": "b"})\n\n    def run(self):\n        while True:\n            msg = self.consumer.poll(1.0)\n            if msg is None:\n                continue\n            self.handle(msg)\n\n    def handle(self, msg):\n        time.sleep(0.1)\n        for i in range(3):\n            self.producer.produce("out", value=msg.value())\n\n    def close(self):\n        self.consumer.close()\n\n\ndef consume_loop(consumer, topics):\n    try:\n        consumer.subscribe(topics)\n        while True:\n            msg = consumer.poll(timeout=1.0)\n            if msg is None:\n                continue\n            if msg.error():\n                continue\n            consumer.commit(asynchronous=False)\n    finally:\n        consumer.close()\n\n\ndef main():\n    consumer = Consumer({"group.id": "g", "enable.auto.commit": False})\n    consume_loop(consumer, ["t"])\n\n\ndef kp():\n    consumer = KafkaConsumer("a", group_id="x")\n    atexit.register(consumer.close)\n    while True:\n        batch = consumer.poll(timeout_ms=500)\n        for tp, records in batch.items():\n            for record in records:\n                print(record)\n                consumer.commit()\n\n\nasync def ak():\n    consumer = AIOKafkaConsumer("a", group_id="x")\n    await consumer.start()\n    try:\n        while True:\n            result = await consumer.getmany(timeout_ms=1000)\n            for tp, messages in result.items():\n                for m in messages:\n                    await consumer.commit()\n                    time.sleep(1)\n    finally:\n        await consumer.stop()\n'


def test_loop_rules_follow_clients_through_self_parameters_and_batch_maps(lint):
    result = lint({"svc.py": SERVICE})
    found = sorted((f.code, f.location.line, f.location.column) for f in result.findings if f.code.startswith("KL5"))
    assert found == [
        ("KL501", 38, 13),  # consume_loop(consumer): the parameter is the Consumer built in main()
        ("KL501", 56, 17),  # kafka-python poll() map -> records -> record
        ("KL501", 67, 27),  # aiokafka getmany() map, awaited commit()
        ("KL502", 18, 13),  # self.handle() sleeps, called from the poll loop
        ("KL502", 68, 21),
        ("KL504", 18, 13),
        ("KL505", 23, 13),  # self.producer produces in a loop, never polled
    ]
    via = next(f.message for f in result.findings if f.code == "KL502" and f.location.line == 18)
    assert "time.sleep() (line 21) blocks the poll loop at line 14" in via
    # closed in a close() method, in finally, through atexit.register(consumer.close): no KL509
    assert [f for f in result.findings if f.code == "KL509"] == []


def test_a_consumer_this_file_never_uses_is_not_reported_as_unclosed(lint):
    result = lint({"clients.py": 'from confluent_kafka import Consumer\n\nconsumer = Consumer({"group.id": "g"})\n'})
    assert [f for f in result.findings if f.code == "KL509"] == []


def test_every_reported_position_matches_libcsts_own_position_provider(monkeypatch):
    from libcst.metadata import MetadataWrapper, PositionProvider

    from kafkalint.sources.python import positions

    original = positions.PositionIndex.location
    compared: list[tuple[object, object]] = []

    def checked(self, node, where):
        location = original(self, node, where)
        truth = MetadataWrapper(self.module, unsafe_skip_copy=True).resolve(PositionProvider)[node]
        expected = (truth.start.line, truth.start.column + 1, truth.end.line, truth.end.column + 1)
        compared.append(((location.line, location.column, location.end_line, location.end_column), expected))
        return location

    monkeypatch.setattr(positions.PositionIndex, "location", checked)
    for code in (SERVICE, CAREFUL_CONSUMER):
        read_python(code, "app.py", Project())
    assert len(compared) > 40
    assert [pair for pair in compared if pair[0] != pair[1]] == []


def test_a_consumer_in_a_public_attribute_may_be_closed_by_the_objects_owner(lint):
    code = (
        "from confluent_kafka import Consumer\n\n\nclass Worker:\n"
        "    def __init__(self, conf):\n        self.consumer = Consumer(conf)\n        self._private = Consumer(conf)\n\n"
        "    def run(self):\n        while True:\n            self.consumer.poll(1.0)\n            self._private.poll(1.0)\n"
    )
    result = lint({"worker.py": code})
    assert [(f.location.line, f.message.split(" ")[1]) for f in result.findings if f.code == "KL509"] == [(7, "self._private")]


def test_starred_topics_of_a_kafka_python_consumer_leave_its_settings_known():
    project = _read('from kafka import KafkaConsumer\nTOPICS = ["a"]\nc = KafkaConsumer(*TOPICS, group_id="g")\n')
    client = _only_client(project)
    assert client.all_settings_known is True and client.group_topics_unknown is True
    assert client.settings["group.id"].value == "g"


def test_every_import_form_is_recognised():
    project = _read(
        """\
        import kafka
        import confluent_kafka.admin
        import confluent_kafka.aio as aio
        from confluent_kafka.admin import AdminClient as Admin
        from kafka.producer import KafkaProducer

        a = kafka.KafkaConsumer(group_id="g")
        b = confluent_kafka.admin.AdminClient({"bootstrap.servers": "b:9092"})
        c = Admin({"bootstrap.servers": "b:9092"})
        d = KafkaProducer(acks=1)

        async def make():
            return aio.AIOConsumer({"group.id": "g"})
        """
    )
    assert [(client.extras["python_class"], client.role, client.dialect) for client in project.clients] == [
        ("KafkaConsumer", Role.CONSUMER, Dialect.KAFKA_PYTHON),
        ("AdminClient", Role.ADMIN, Dialect.LIBRDKAFKA),
        ("AdminClient", Role.ADMIN, Dialect.LIBRDKAFKA),
        ("KafkaProducer", Role.PRODUCER, Dialect.KAFKA_PYTHON),
        ("AIOConsumer", Role.CONSUMER, Dialect.LIBRDKAFKA),
    ]


def test_python_files_without_kafka_never_load_libcst(tmp_path: Path):
    import subprocess
    import sys

    (tmp_path / "plain.py").write_text("import os\n\nprint(os.getcwd())\n", encoding="utf-8")
    (tmp_path / "notes.py").write_text("# kafka is mentioned, never imported\nx = 1\n", encoding="utf-8")
    probe = (
        "import sys; from pathlib import Path; from kafkalint.engine import run; "
        f"run([Path({str(tmp_path)!r})]); print('libcst' in sys.modules)"
    )
    completed = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert completed.stdout.strip() == "False"


VERSION_GUARDED = """\
import aiokafka
from packaging.version import Version

_HAS_API_VERSION = Version(aiokafka.__version__) < Version("0.13.0")


def consumer(servers):
    kwargs = {}
    if _HAS_API_VERSION:
        kwargs["api_version"] = "auto"
    return aiokafka.AIOKafkaConsumer(bootstrap_servers=servers, group_id="billing", **kwargs)
"""


def test_a_key_set_only_for_some_client_versions_is_not_judged_as_always_set(lint):
    # The guard exists to avoid the deprecation (aiokafka 0.13 deprecated api_version): the key
    # is set for older clients only, so the configuration is not fully known instead.
    result = lint({"app/consumer.py": VERSION_GUARDED})
    [client] = result.project.clients
    assert "api_version" not in client.settings and client.all_settings_known is False
    assert not [finding for finding in result.findings if finding.code == "KL006"]
    unguarded = VERSION_GUARDED.replace("    if _HAS_API_VERSION:\n        kwargs", "    kwargs")
    assert [finding.code for finding in lint({"app/consumer.py": unguarded}).findings if finding.code == "KL006"] == ["KL006"]


def test_a_unit_test_builds_a_client_without_a_broker_on_purpose(tmp_path):
    """confluent-kafka-python's own tests build ~90 producers without bootstrap.servers (they
    test the API offline): KL012 judged each. Outside test code the same client is reported."""
    from tests.conftest import lint_files

    code = "from confluent_kafka import Producer\n\np = Producer({'linger.ms': 5})\n"
    result = lint_files(tmp_path, {"tests/test_api.py": code, "app/produce.py": code}, select=["KL012"])
    assert [(f.code, f.location.path) for f in result.findings] == [("KL012", "app/produce.py")]


def test_a_parameter_hides_a_module_level_dict_of_the_same_name():
    """confluent-kafka-python's verifiable consumer: `def __init__(self, conf): Consumer(**conf)`
    beside a module-level `conf = {...}` without group.id was a KL010 error ('librdkafka refuses
    to create a consumer without one'): the consumer is built from what the caller passes."""
    project = _read(
        """\
        from confluent_kafka import Consumer

        conf = {"bootstrap.servers": "b:9092"}

        class Reader:
            def __init__(self, conf, *extra, **overrides):
                self.consumer = Consumer(**conf)

        def build(settings=conf):
            return Consumer(settings)

        def module_level():
            return Consumer(conf)
        """
    )
    reader, built, module = sorted(project.clients, key=lambda client: client.anchor.line)
    assert not reader.all_settings_known and not built.all_settings_known and reader.settings == {} == built.settings
    assert module.all_settings_known and [(s.written_key, s.value) for s in module.settings.values()] == [("bootstrap.servers", "b:9092")]


def test_two_clients_built_from_one_dict_get_one_finding_per_written_key(tmp_path):
    """redpanda-labs builds an AdminClient and a Producer from one conf with kafka-python's
    sasl_mechanism: one mistake in one place was two KL003 errors at the same column. A client's
    own problems at one place, and each client's findings at its own anchor, stay."""
    from tests.conftest import lint_files

    code = (
        "from confluent_kafka import Producer\n"
        "from confluent_kafka.admin import AdminClient\n"
        "\n"
        "conf = {'bootstrap.servers': 'b:9092', 'sasl_mechanism': 'PLAIN'}\n"
        "admin = AdminClient(conf)\n"
        "producer = Producer(conf)\n"
    )
    result = lint_files(tmp_path, {"produce.py": code}, select=["KL003"])
    assert [(f.code, f.location.line, f.location.column) for f in result.findings] == [("KL003", 4, 40)]
