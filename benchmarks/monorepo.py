"""The monorepo of issue 12: generate it, then time kafkalint on it (growth, memory, output, cache).

    python benchmarks/monorepo.py generate /tmp/mono --services 400
    python benchmarks/monorepo.py run                      # N = 100, 400, 1,600; cold and warm
    python benchmarks/monorepo.py run --services 100 400 --work /tmp/mono-bench --runs 3
    python benchmarks/monorepo.py precommit --files 3000   # one staged file, warm cache

Each service (`services/svc-NNNN/`) holds a Spring `application.yml` (producer, acks=all, a known
default topic), a producer `.properties` (topics unknown), a confluent-kafka producer in Python
writing its service's topic with keys, a Strimzi `KafkaTopic`, and five Kubernetes manifests
(one of them mentions Kafka in an environment variable, as real deployments do). Options add a
build manifest per service (`--manifests`, default on) and a topic every service writes
(`--shared-topic`, off), the worst case for cross-file rules.

Every kafkalint run is its own process (start-up included); peak RSS is the child's own (os.wait4,
which on Linux includes the worker processes it waited for), output is `--format json` to a file.
The targets of issue 12 are printed beside the numbers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SPRING = """\
spring:
  application:
    name: svc-{index:04}
  kafka:
    bootstrap-servers: main-kafka-bootstrap:9093
    producer:
      acks: all
      key-serializer: org.apache.kafka.common.serialization.StringSerializer
    template:
      default-topic: {topic}
"""

PROPERTIES = """\
bootstrap.servers=main-kafka-bootstrap:9093
acks=all
enable.idempotence=true
key.serializer=org.apache.kafka.common.serialization.StringSerializer
value.serializer=org.apache.kafka.common.serialization.ByteArraySerializer
linger.ms=20
"""

PYTHON = '''\
"""svc-{index:04}: publishes its events, keyed by entity id."""
from confluent_kafka import Producer

producer = Producer({{"bootstrap.servers": "main-kafka-bootstrap:9093", "acks": "all", "enable.idempotence": True}})


def publish(entity_id: str, payload: bytes) -> None:
    producer.produce("{topic}", key=entity_id, value=payload)
    producer.poll(0)


def close() -> None:
    producer.flush(10)
'''

TOPIC = """\
apiVersion: kafka.strimzi.io/v1
kind: KafkaTopic
metadata:
  name: {topic}
  labels:
    strimzi.io/cluster: main
spec:
  partitions: 12
  replicas: 3
  config:
    min.insync.replicas: 2
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{index:04}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: svc-{index:04}}}
  template:
    metadata:
      labels: {{app: svc-{index:04}}}
    spec:
      containers:
        - name: app
          image: registry.example.com/svc-{index:04}:1.0.{index}
          env:
            - name: KAFKA_BOOTSTRAP_SERVERS
              value: main-kafka-bootstrap:9093
          resources:
            requests: {{cpu: 100m, memory: 256Mi}}
"""

UNRELATED = {
    "service.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{index:04}\nspec:\n  ports:\n    - port: 8080\n",
    "configmap.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: svc-{index:04}-config\ndata:\n  LOG_LEVEL: info\n",
    "hpa.yaml": (
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: svc-{index:04}\n"
        "spec:\n  minReplicas: 2\n  maxReplicas: 10\n"
    ),
    "ingress.yaml": (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: svc-{index:04}\n"
        "spec:\n  rules:\n    - host: svc-{index:04}.example.com\n"
    ),
}

POM = "<project><modelVersion>4.0.0</modelVersion><artifactId>svc-{index:04}</artifactId></project>\n"


def generate(tree: Path, services: int, manifests: bool = True, shared_topic: bool = False) -> int:
    """Write the monorepo; returns the number of files."""
    count = 0
    for index in range(services):
        topic = "shared-events" if shared_topic else f"svc-{index:04}-events"
        base = tree / "services" / f"svc-{index:04}"
        files = {
            "src/main/resources/application.yml": SPRING,
            "config/producer.properties": PROPERTIES,
            "app/publisher.py": PYTHON,
            "k8s/topic.yaml": TOPIC,
            "k8s/deployment.yaml": DEPLOYMENT,
            **{f"k8s/{name}": text for name, text in UNRELATED.items()},
        }
        if manifests:
            files["pom.xml"] = POM
        for name, text in files.items():
            path = base / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.format(index=index, topic=topic), encoding="utf-8")
            count += 1
    cluster = tree / "platform" / "kafka.yaml"
    cluster.parent.mkdir(parents=True, exist_ok=True)
    cluster.write_text(
        "apiVersion: kafka.strimzi.io/v1\nkind: Kafka\nmetadata:\n  name: main\nspec:\n  kafka:\n"
        "    config:\n      min.insync.replicas: 2\n      default.replication.factor: 3\n", encoding="utf-8"
    )
    return count + 1


def kafkalint_command() -> list[str]:
    return [sys.executable, "-m", "kafkalint"]


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit status) of one process."""
    environment = {**os.environ, **env}
    # An installed kafkalint has compiled bytecode; a run that recompiles every module (as
    # PYTHONDONTWRITEBYTECODE forces) measures the compiler. Bytecode goes to a folder of its own.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    environment.setdefault("PYTHONPYCACHEPREFIX", os.path.join(tempfile.gettempdir(), "kafkalint-bench-pycache"))
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode(errors="replace") if process.stderr else ""
    if process.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr[-800:]}")
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def report_facts(path: Path) -> dict[str, int]:
    document = json.loads(path.read_text(encoding="utf-8"))
    findings = document["findings"]
    by_code: dict[str, int] = {}
    for finding in findings:
        by_code[finding["code"]] = by_code.get(finding["code"], 0) + 1
    return {
        "bytes": path.stat().st_size,
        "findings": len(findings),
        "max_related": max((len(finding["related"]) for finding in findings), default=0),
        **{f"n_{code}": count for code, count in sorted(by_code.items())},
    }


def run_sizes(work: Path, sizes: list[int], runs: int, manifests: bool, shared_topic: bool) -> None:
    env_base = {"NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    results = {}
    for services in sizes:
        tree = work / f"mono-{services}{'-shared' if shared_topic else ''}"
        if not tree.exists():
            files = generate(tree, services, manifests, shared_topic)
        else:
            files = sum(1 for _ in tree.rglob("*") if _.is_file())
        output = work / f"report-{services}.json"
        cache = work / f"cache-{services}"
        command = [*kafkalint_command(), "check", "--format", "json", "--output", str(output), "--no-progress", "."]
        cold_best = warm_best = (float("inf"), 0.0, 0)
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            cold = measure(command, tree, {**env_base, "KAFKALINT_CACHE_DIR": str(cache)})
            warm = measure(command, tree, {**env_base, "KAFKALINT_CACHE_DIR": str(cache)})
            cold_best = min(cold_best, cold)
            warm_best = min(warm_best, warm)
        nocache = min(measure([*command[:-1], "--no-cache", "."], tree, env_base) for _ in range(runs))
        facts = report_facts(output)
        results[services] = (cold_best, warm_best, nocache, facts)
        print(
            f"N={services:>5} files={files:>6}  no-cache {nocache[0]:6.2f}s {nocache[1]:6.0f} MB | cold {cold_best[0]:6.2f}s "
            f"{cold_best[1]:6.0f} MB | warm {warm_best[0]:6.2f}s {warm_best[1]:6.0f} MB ({warm_best[0] / cold_best[0]:.0%} of cold) | "
            f"report {facts['bytes'] / 1e6:.2f} MB, {facts['findings']} findings, max related {facts['max_related']} | "
            + " ".join(f"{key[2:]}={value}" for key, value in facts.items() if key.startswith("n_")),
            flush=True,
        )
    if 400 in results and 1600 in results:
        ratio = results[1600][2][0] / results[400][2][0]
        print(f"time(N=1600)/time(N=400), no cache: {ratio:.2f} (target <= 4.4)")
        print(f"peak RSS at N=1600: {results[1600][2][1]:.0f} MB no cache, {results[1600][0][1]:.0f} MB cold (target <= 400)")
    for services, (cold, warm, _nocache, facts) in results.items():
        print(f"N={services}: warm/cold {warm[0] / cold[0]:.0%} (target <= 25%); bytes per finding {facts['bytes'] / max(facts['findings'], 1):.0f}")


def run_precommit(work: Path, files: int, runs: int) -> None:
    """A one-file pre-commit run in a project of about `files` files, with a warm cache."""
    services = max(1, round(files / 10))  # ten files per service with its pom.xml
    tree = work / f"precommit-{services}"
    if not tree.exists():
        generate(tree, services)
        for arguments in (["init", "-q", "-b", "main"], ["add", "-A"],
                          ["-c", "user.name=bench", "-c", "user.email=bench@invalid", "commit", "-q", "-m", "start"]):
            subprocess.run(["git", *arguments], cwd=tree, check=True)
    total = sum(1 for path in tree.rglob("*") if path.is_file() and ".git" not in path.parts)
    staged = "services/svc-0000/config/producer.properties"
    target = tree / staged
    target.write_text(target.read_text() + "# touched\n")
    subprocess.run(["git", "add", staged], cwd=tree, check=True)
    cache = work / "cache-precommit"
    env = {"NO_COLOR": "1", "PYTHONPATH": str(ROOT), "KAFKALINT_CACHE_DIR": str(cache), "PRE_COMMIT": "1"}
    command = [*kafkalint_command(), "check", "--no-progress", staged]
    measure(command, tree, env)  # fills the cache
    best = min(measure(command, tree, env) for _ in range(runs))
    version = min(measure([*kafkalint_command(), "--version"], tree, env) for _ in range(runs))
    print(f"pre-commit, one staged file in {total} files, warm cache: {best[0] * 1000:.0f} ms, {best[1]:.0f} MB "
          f"(target <= 300 ms; `kafkalint --version` alone: {version[0] * 1000:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    make = commands.add_parser("generate", help="write a monorepo")
    make.add_argument("tree", type=Path)
    make.add_argument("--services", type=int, default=100)
    make.add_argument("--no-manifests", action="store_true", help="no pom.xml per service")
    make.add_argument("--shared-topic", action="store_true", help="every service writes one topic")
    timing = commands.add_parser("run", help="time N = 100, 400, 1,600 (cold, warm, no cache)")
    timing.add_argument("--work", type=Path, default=None)
    timing.add_argument("--services", type=int, nargs="+", default=[100, 400, 1600])
    timing.add_argument("--runs", type=int, default=1)
    timing.add_argument("--no-manifests", action="store_true")
    timing.add_argument("--shared-topic", action="store_true")
    hook = commands.add_parser("precommit", help="one staged file in a large project, warm cache")
    hook.add_argument("--work", type=Path, default=None)
    hook.add_argument("--files", type=int, default=3000)
    hook.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.command == "generate":
        print(generate(args.tree, args.services, not args.no_manifests, args.shared_topic), "files")
        return
    work = args.work or Path(tempfile.mkdtemp(prefix="kafkalint-mono-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"work folder {work}; load {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs", flush=True)
    if args.command == "run":
        run_sizes(work, args.services, args.runs, not args.no_manifests, args.shared_topic)
    else:
        run_precommit(work, args.files, args.runs)
    print(f"load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
