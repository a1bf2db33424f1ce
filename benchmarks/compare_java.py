"""Time `kafkalint check` on a generated Java/Kotlin tree against the least any tool must do.

    pip install tree-sitter tree-sitter-java tree-sitter-kotlin   # (kafkalint's own dependencies)
    python benchmarks/compare_java.py                  # generates the tree under a temp dir
    python benchmarks/compare_java.py --work /tmp/kafkalint-java --files 2000 --runs 5

The tree: --files Java (and a few Kotlin) files of ordinary service code, about 1 % of them
Kafka clients (configuration in code, poll loops, producers, @KafkaListener). The baseline
is one process that reads every file, keeps those whose bytes name a Kafka package (the same
test kafkalint applies) and runs a plain tree-sitter parse on them: the least a linter that
reads Java source must do. Every command runs as its own process, start-up included, best of
--runs, and the ratio of the runs that followed each other in each round (median and range):
the two bests alone may come from different moments of a machine whose speed drifts. Target:
kafkalint cold <= 1.5x the baseline.

kafkalint runs four ways: cold (an empty parse cache before every run, which it then
fills) on every core and in one process (KAFKALINT_JOBS=1), warm (the cache of the previous
run) and --no-cache. The commands take turns within each round. On a machine whose speed
drifts, --instructions adds a count of the instructions each run executes (valgrind). Before the cold runs emptied
the cache, "cold" used the user's cache folder, so every run after the first was warm.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE = """
import os, sys
from tree_sitter import Language, Parser
import tree_sitter_java, tree_sitter_kotlin
parsers = {".java": Parser(Language(tree_sitter_java.language())), ".kt": Parser(Language(tree_sitter_kotlin.language()))}
markers = (b"org.apache.kafka", b"org.springframework.kafka", b"io.smallrye.reactive.messaging", b"KafkaTemplate")
for root, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        suffix = name[name.rfind("."):]
        if suffix in parsers:
            with open(os.path.join(root, name), "rb") as handle:
                data = handle.read()
            if any(marker in data for marker in markers):
                parsers[suffix].parse(data)
"""

WORDS = ["order", "invoice", "customer", "account", "payment", "refund", "ledger", "shipment", "parcel", "route", "stock", "price", "quote", "basket", "session", "token", "report", "metric", "event", "audit", "record", "batch", "window", "cursor", "region"]


def _camel(rng: random.Random, parts: int = 2, upper: bool = True) -> str:
    words = [rng.choice(WORDS) for _ in range(parts)]
    name = "".join(word.capitalize() for word in words)
    return name if upper else name[0].lower() + name[1:]


def ordinary_method(rng: random.Random) -> list[str]:
    name, arg = _camel(rng, 2, upper=False) + str(rng.randrange(10**5)), _camel(rng, 1, upper=False)
    limit = rng.randint(1, 99)
    return [
        f"    public Map<String, Integer> {name}(List<Map<String, Integer>> {arg}s, int limit) {{",
        "        Map<String, Integer> totals = new HashMap<>();",
        f"        for (Map<String, Integer> entry : {arg}s) {{",
        "            for (Map.Entry<String, Integer> item : entry.entrySet()) {",
        f"                if (item.getValue() > limit + {limit} && !item.getKey().startsWith(\"_\")) {{",
        "                    totals.merge(item.getKey(), item.getValue(), Integer::sum);",
        f"                }} else if (item.getValue() < -{limit}) {{",
        "                    totals.merge(item.getKey(), -1, Integer::sum);",
        "                }",
        "            }",
        "        }",
        "        List<Map.Entry<String, Integer>> ranked = new ArrayList<>(totals.entrySet());",
        "        ranked.sort((left, right) -> right.getValue() - left.getValue());",
        f"        return ranked.stream().limit({rng.randint(3, 30)}).collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));",
        "    }",
        "",
    ]


HEADER = [
    "import java.util.ArrayList;",
    "import java.util.HashMap;",
    "import java.util.List;",
    "import java.util.Map;",
    "import java.util.stream.Collectors;",
]

KAFKA_IMPORTS = [
    "import java.time.Duration;",
    "import java.util.Properties;",
    "import org.apache.kafka.clients.consumer.ConsumerConfig;",
    "import org.apache.kafka.clients.consumer.ConsumerRecord;",
    "import org.apache.kafka.clients.consumer.ConsumerRecords;",
    "import org.apache.kafka.clients.consumer.KafkaConsumer;",
    "import org.apache.kafka.clients.producer.KafkaProducer;",
    "import org.apache.kafka.clients.producer.ProducerConfig;",
    "import org.apache.kafka.clients.producer.ProducerRecord;",
]


def kafka_methods(rng: random.Random, index: int) -> list[str]:
    topic = f"{rng.choice(WORDS)}-{index}"
    return [
        "    public void run() {",
        "        Properties consumerProps = new Properties();",
        "        consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, \"broker:9092\");",
        f"        consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, \"group-{index}\");",
        "        consumerProps.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);",
        "        Properties producerProps = new Properties();",
        "        producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, \"broker:9092\");",
        "        producerProps.put(ProducerConfig.ACKS_CONFIG, \"all\");",
        "        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProps);",
        "             KafkaProducer<String, String> producer = new KafkaProducer<>(producerProps)) {",
        f"            consumer.subscribe(List.of(\"{topic}\"));",
        "            while (true) {",
        "                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));",
        "                for (ConsumerRecord<String, String> record : records) {",
        f"                    producer.send(new ProducerRecord<>(\"{topic}-out\", record.key(), record.value()), (metadata, error) -> {{}});",
        "                }",
        "                consumer.commitSync();",
        "            }",
        "        }",
        "    }",
        "",
    ]


def java_file(rng: random.Random, package: str, name: str, kafka: bool, methods: int, index: int) -> str:
    lines = [f"package {package};", "", *HEADER]
    if kafka:
        lines += KAFKA_IMPORTS
    lines += ["", f"public class {name} {{", ""]
    if kafka:
        lines += kafka_methods(rng, index)
    for _ in range(methods):
        lines += ordinary_method(rng)
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate(tree: Path, files: int, methods: int, kafka_share: float, seed: int) -> None:
    if tree.exists():
        return
    rng = random.Random(seed)
    kafka_every = max(1, round(1 / kafka_share))
    for index in range(files):
        module = f"service{index % 40}"
        package = f"com.acme.{module}.{rng.choice(WORDS)}"
        name = _camel(rng, 2) + str(index)
        directory = tree / module / "src" / "main" / "java" / Path(*package.split("."))
        directory.mkdir(parents=True, exist_ok=True)
        text = java_file(rng, package, name, index % kafka_every == 0, methods, index)
        (directory / f"{name}.java").write_text(text, encoding="utf-8")


_ENVIRONMENT = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
# As an installed kafkalint has them: compiled modules, kept in a folder of their own (with
# PYTHONDONTWRITEBYTECODE set, every run would otherwise compile every module it imports).
_ENVIRONMENT.pop("PYTHONDONTWRITEBYTECODE", None)
_ENVIRONMENT.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "kafkalint-bench-pycache"))


def one_run(command: list[str], environment: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process's children: forked workers included) of one run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    completed = subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=environment)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if completed.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({completed.returncode}): {completed.stderr.strip()[-500:]}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def timed_rounds(commands: dict[str, tuple[list[str], dict[str, str], Path | None]], runs: int) -> dict[str, list[tuple[float, float]]]:
    """Wall-clock and CPU seconds of each command in each of `runs` rounds, the commands taking
    turns within each round (a machine whose speed drifts then drifts for all of them alike).
    A command with a cache folder starts each run with that folder emptied (a cold run)."""
    rounds: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(runs):
        for label, (command, extra, cold_cache) in commands.items():
            if cold_cache is not None:
                shutil.rmtree(cold_cache, ignore_errors=True)
            rounds[label].append(one_run(command, {**_ENVIRONMENT, **extra}))
    return rounds


def best_of(rounds: dict[str, list[tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """The best wall-clock and the best CPU seconds of each command."""
    return {label: (min(wall for wall, _ in runs), min(cpu for _, cpu in runs)) for label, runs in rounds.items()}


def instructions(command: list[str], extra: dict[str, str], cold_cache: Path | None) -> int | None:
    """Instructions one run executes in user space, counted by valgrind (cachegrind): unlike
    time, the same from one run to the next on a busy or throttled machine; None without
    valgrind. Forked children are not counted: use KAFKALINT_JOBS=1."""
    if shutil.which("valgrind") is None:
        return None
    if cold_cache is not None:
        shutil.rmtree(cold_cache, ignore_errors=True)
    completed = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null", *command],
        check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env={**_ENVIRONMENT, **extra},
    )
    for line in completed.stderr.splitlines():
        if "I   refs:" in line:
            return int(line.rsplit(":", 1)[1].replace(",", "").strip())
    return None


def kafkalint_command() -> list[str]:
    # This checkout's kafkalint, whatever `kafkalint` on PATH is (see best_time's environment).
    return [sys.executable, "-m", "kafkalint"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="where the tree is generated (kept)")
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--methods", type=int, default=20, help="ordinary methods per file (16 lines each)")
    parser.add_argument("--kafka-share", type=float, default=0.01)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--instructions", action="store_true", help="also count instructions with valgrind (steady on a noisy machine)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kafkalint-java-bench-"))
    # Compiled once before timing (see _ENVIRONMENT): no run pays for the compiler.
    subprocess.run([*kafkalint_command(), "--version"], check=True, stdout=subprocess.DEVNULL, env=_ENVIRONMENT)
    tree = work / "java"
    generate(tree, args.files, args.methods, args.kafka_share, args.seed)
    sources = list(tree.rglob("*.java"))
    lines = sum(path.read_bytes().count(b"\n") for path in sources)
    kafka = sum(b"org.apache.kafka" in path.read_bytes() for path in sources)
    check = [*kafkalint_command(), "check", "-q", str(tree)]
    cache = work / "parse-cache"
    with_cache = {"KAFKALINT_CACHE_DIR": str(cache)}
    one_process = {**with_cache, "KAFKALINT_JOBS": "1"}
    baseline_command = [sys.executable, "-c", BASELINE, str(tree)]
    subprocess.run(check, check=False, stdout=subprocess.DEVNULL, env={**_ENVIRONMENT, **with_cache})  # the warm cache
    cold_rounds = timed_rounds({
        "kafkalint check (cold)": (check, with_cache, cache),
        "kafkalint check (cold, KAFKALINT_JOBS=1)": (check, one_process, cache),
        "baseline: byte scan + tree-sitter parse": (baseline_command, {}, None),
    }, args.runs)
    timings = best_of(cold_rounds)
    subprocess.run(check, check=False, stdout=subprocess.DEVNULL, env={**_ENVIRONMENT, **with_cache})
    timings.update(best_of(timed_rounds({
        "kafkalint check (warm parse cache)": (check, with_cache, None),
        "kafkalint check --no-cache": ([*check[:-1], "--no-cache", str(tree)], {}, None),
    }, args.runs)))
    print(f"tree: {tree}: {len(sources)} files, {lines:,} lines, {kafka} Kafka files; best of {args.runs} runs, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    for label, (wall, cpu) in timings.items():
        print(f"  {label:<42} {wall:6.2f}s wall {cpu:6.2f}s cpu")
    baseline = timings["baseline: byte scan + tree-sitter parse"]
    cold = timings["kafkalint check (cold)"]
    single = timings["kafkalint check (cold, KAFKALINT_JOBS=1)"]
    print(f"ratio kafkalint cold/baseline: {cold[0] / baseline[0]:.2f} wall, {cold[1] / baseline[1]:.2f} cpu; "
          f"one process {single[0] / baseline[0]:.2f} wall, {single[1] / baseline[1]:.2f} cpu  (target <= 1.50)")
    # The two bests may come from different moments of a machine whose speed drifts: the ratio
    # of the runs that followed each other in each round says how steady the best ratio is.
    paired = sorted(
        kafkalint[0] / base[0]
        for kafkalint, base in zip(cold_rounds["kafkalint check (cold)"], cold_rounds["baseline: byte scan + tree-sitter parse"])
    )
    print(f"ratio cold/baseline within each round: median {statistics.median(paired):.2f}, "
          f"from {paired[0]:.2f} to {paired[-1]:.2f} over {len(paired)} rounds")
    cold_walls = [wall for wall, _ in cold_rounds["kafkalint check (cold)"]]
    base_walls = [wall for wall, _ in cold_rounds["baseline: byte scan + tree-sitter parse"]]
    print(f"ratio of the medians: {statistics.median(cold_walls) / statistics.median(base_walls):.2f} "
          f"({statistics.median(cold_walls):.2f}s / {statistics.median(base_walls):.2f}s)")
    if args.instructions:
        counted = instructions(check, one_process, cache)
        base = instructions(baseline_command, {}, None)
        bare = instructions([sys.executable, "-c", "pass"], {}, None)
        if counted is None or base is None or bare is None:
            print("instructions: valgrind is not installed")
        else:
            print(f"instructions (valgrind, one process, cold): kafkalint {counted / 1e6:,.0f} M, baseline {base / 1e6:,.0f} M, "
                  f"the bare interpreter {bare / 1e6:,.0f} M; ratio {counted / base:.2f}")
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
