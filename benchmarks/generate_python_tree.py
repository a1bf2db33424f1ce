"""Generate a synthetic Python source tree to benchmark `kafkalint check` on code.

Two shapes:
  sparse (default): ~3,000 files / ~1 M lines of ordinary application code, about 1 % of the
                    files using a Kafka client (confluent-kafka, kafka-python or aiokafka);
  dense (--dense):  every file uses a Kafka client (poll loops, producers, configurations).

The code is deterministic for a given --seed, syntactically valid and lint-clean enough that
ruff has real work to do on it; it is never imported or run.

    python benchmarks/generate_python_tree.py /tmp/tree-sparse
    python benchmarks/generate_python_tree.py /tmp/tree-dense --dense --files 300
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "order invoice customer account payment refund ledger shipment parcel route stock price "
    "quote basket session token report metric event audit record batch window cursor region "
    "tenant policy profile channel message bucket schedule task worker job queue cache"
).split()


def _name(rng: random.Random, parts: int = 2) -> str:
    return "_".join(rng.choice(WORDS) for _ in range(parts))


def _class_name(rng: random.Random) -> str:
    return "".join(word.capitalize() for word in _name(rng, 2).split("_"))


def ordinary_function(rng: random.Random) -> list[str]:
    name = f"{_name(rng, 2)}_{rng.randrange(10**6)}"
    arg, other = _name(rng, 1), _name(rng, 2)
    lines = [
        f"def {name}(",
        f"    {arg}: list[dict[str, int]], {other}: int = {rng.randint(1, 99)}",
        ") -> dict[str, int]:",
        f'    """Summarise {arg} entries above {other}."""',
        "    totals: dict[str, int] = {}",
        f"    for entry in {arg}:",
        "        for key, value in entry.items():",
        f"            if value > {other} and not key.startswith('_'):",
        "                totals[key] = totals.get(key, 0) + value",
        f"            elif value < -{other}:",
        "                totals[key] = totals.get(key, 0) - 1",
        "    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))",
        f"    ranked = ranked[: {rng.randint(3, 30)}]",
        "    try:",
        "        best = max(value for _, value in ranked)",
        "    except ValueError:",
        "        best = 0",
        "    return {",
        "        key: round(value * 100 / (best or 1))",
        "        for key, value in ranked",
        f"        if value % {rng.randint(2, 9)} != 1",
        "    }",
        "",
        "",
    ]
    return lines


def ordinary_class(rng: random.Random) -> list[str]:
    name = f"{_class_name(rng)}{rng.randrange(10**6)}"
    field_a, field_b = _name(rng, 1), _name(rng, 2)
    return [
        "@dataclasses.dataclass",
        f"class {name}:",
        f'    """A {field_a} with its {field_b} history."""',
        "",
        f"    {field_a}: str",
        f"    {field_b}: list[int] = dataclasses.field(default_factory=list)",
        "    limit: int = " + str(rng.randint(10, 1000)),
        "",
        "    def add(self, value: int) -> None:",
        f"        if len(self.{field_b}) >= self.limit:",
        f"            self.{field_b}.pop(0)",
        f"        self.{field_b}.append(value)",
        "",
        "    def describe(self) -> str:",
        f"        values = self.{field_b}",
        "        mean = sum(values) / len(values) if values else 0.0",
        f'        return f"{{self.{field_a}}}: {{len(values)}} values, mean {{mean:.2f}}"',
        "",
        "    @property",
        "    def peak(self) -> int:",
        f"        return max(self.{field_b}, default=0)",
        "",
        "",
    ]


def kafka_block(rng: random.Random, index: int) -> list[str]:
    """One Kafka-using section; the variants cover every client library and loop shape."""
    topic = f"{_name(rng, 1)}-{index % 50}"
    variant = index % 4
    if variant == 0:
        return [
            f"CONSUMER_CONFIG_{index} = {{",
            '    "bootstrap.servers": os.environ.get("BOOTSTRAP", "broker:9092"),',
            f'    "group.id": "{_name(rng, 2)}",',
            '    "enable.auto.commit": False,',
            '    "auto.offset.reset": "earliest",',
            "}",
            "",
            "",
            f"def consume_forever_{index}(handle) -> None:",
            f"    consumer = Consumer(CONSUMER_CONFIG_{index})",
            f'    consumer.subscribe(["{topic}"])',
            "    try:",
            "        while True:",
            "            messages = consumer.consume(num_messages=500, timeout=1.0)",
            "            for message in messages:",
            "                if message.error():",
            "                    raise KafkaException(message.error())",
            "                try:",
            "                    handle(json.loads(message.value()))",
            "                except ValueError:",
            '                    logging.exception("bad record")',
            "            consumer.commit(asynchronous=False)",
            "    finally:",
            "        consumer.close()",
            "",
            "",
        ]
    if variant == 1:
        return [
            f'BASE_{index} = {{"bootstrap.servers": "broker:9092", "linger.ms": {rng.randint(1, 50)}}}',
            "",
            "",
            f"def publish_{index}(rows) -> None:",
            f'    conf = {{**BASE_{index}, "acks": "all", "enable.idempotence": True}}',
            '    conf["compression.type"] = "zstd"',
            "    producer = Producer(conf)",
            "    for row in rows:",
            "        producer.produce(",
            f'            "{topic}", key=str(row["id"]), value=json.dumps(row)',
            "        )",
            "        producer.poll(0)",
            "    producer.flush()",
            "",
            "",
        ]
    if variant == 2:
        return [
            f"def relay_{index}() -> None:",
            "    consumer = KafkaConsumer(",
            f'        "{topic}", group_id="{_name(rng, 1)}", enable_auto_commit=False',
            "    )",
            '    producer = KafkaProducer(bootstrap_servers="broker:9092", acks="all")',
            "    try:",
            "        for record in consumer:",
            "            try:",
            f'                future = producer.send("{topic}-out", record.value)',
            "                future.add_errback(LOG.error)",
            "            except Exception:",
            '                logging.exception("relay failed")',
            "    finally:",
            "        consumer.close()",
            "",
            "",
        ]
    return [
        f"async def stream_{index}(handle) -> None:",
        "    consumer = AIOKafkaConsumer(",
        f'        "{topic}", bootstrap_servers="broker:9092", group_id="g{index}"',
        "    )",
        "    await consumer.start()",
        "    try:",
        "        async for record in consumer:",
        "            try:",
        "                await handle(record)",
        "            except Exception:",
        '                logging.exception("failed")',
        "    finally:",
        "        await consumer.stop()",
        "",
        "",
    ]


HEADER = [
    '"""Generated module: ordinary application code for a linter benchmark."""',
    "",
    "from __future__ import annotations",
    "",
    "import dataclasses",
    "import json",
    "import logging",
    "import os",
    "",
    "LOG = logging.getLogger(__name__)",
    'SETTINGS = json.loads(os.environ.get("APP_SETTINGS", "{}"))',
    "",
    "",
]
KAFKA_IMPORTS = [
    "from aiokafka import AIOKafkaConsumer",
    "from confluent_kafka import Consumer, KafkaException, Producer",
    "from kafka import KafkaConsumer, KafkaProducer",
    "",
    "",
]


def module_text(rng: random.Random, target_lines: int, kafka: bool, index: int) -> str:
    lines = list(HEADER) + ordinary_class(rng)
    if kafka:
        lines[lines.index("LOG = logging.getLogger(__name__)") - 1:0] = KAFKA_IMPORTS[:-2]
        for variant in range(4):
            lines += kafka_block(rng, index * 4 + variant)
    else:
        lines += ["", ""]
    while len(lines) < target_lines:
        lines += ordinary_class(rng) if rng.random() < 0.35 else ordinary_function(rng)
        if kafka and rng.random() < 0.04:
            lines += kafka_block(rng, index * 1000 + len(lines))
    return "\n".join(lines).rstrip() + "\n"


def generate(out: Path, files: int, total_lines: int, kafka_ratio: float, seed: int) -> tuple[int, int, int]:
    rng = random.Random(seed)
    per_file = max(total_lines // files, 40)
    kafka_every = 0 if kafka_ratio <= 0 else max(round(1 / kafka_ratio), 1)
    written_lines = kafka_files = 0
    for index in range(files):
        package = out / f"pkg{index // 100:02d}" / f"sub{(index // 10) % 10}"
        package.mkdir(parents=True, exist_ok=True)
        kafka = kafka_every > 0 and index % kafka_every == 0
        text = module_text(rng, int(per_file * rng.uniform(0.7, 1.3)), kafka, index)
        (package / f"module_{index:05d}.py").write_text(text, encoding="utf-8")
        written_lines += text.count("\n")
        kafka_files += kafka
    return files, written_lines, kafka_files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--files", type=int, default=3000)
    parser.add_argument("--lines", type=int, default=None, help="total lines (default: 1,000,000 sparse, 100,000 dense)")
    parser.add_argument("--kafka-ratio", type=float, default=0.01, help="share of files using Kafka (sparse)")
    parser.add_argument("--dense", action="store_true", help="every file uses a Kafka client")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    ratio = 1.0 if args.dense else args.kafka_ratio
    lines = args.lines or (100_000 if args.dense else 1_000_000)
    files, written, kafka_files = generate(args.out, args.files, lines, ratio, args.seed)
    print(f"{args.out}: {files} files, {written} lines, {kafka_files} using Kafka")


if __name__ == "__main__":
    main()
