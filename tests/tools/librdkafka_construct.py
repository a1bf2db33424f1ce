"""Construct a confluent-kafka Producer/Consumer for each configuration on stdin; report which refuse.

Input: a JSON list of {"role": "producer"|"consumer", "conf": {...}}. Output: {"libversion":
the librdkafka version, "results": a list of {"refused": bool, "error": str}}. No bootstrap.servers is ever set, so no client connects
anywhere; each client is torn down right after construction. Run in a subprocess: a few
configurations abort the interpreter inside the C extension rather than raise.
"""

from __future__ import annotations

import json
import sys


def construct(role: str, conf: dict) -> dict:
    import confluent_kafka

    try:
        if role == "consumer":
            client = confluent_kafka.Consumer(conf)
            client.close()
        else:
            client = confluent_kafka.Producer(conf)
            client.flush(0)
        del client
    except Exception as error:  # KafkaException, ValueError, TypeError: all mean "refused"
        return {"refused": True, "error": f"{type(error).__name__}: {error}"}
    return {"refused": False, "error": ""}


def main() -> None:
    import confluent_kafka

    cases = json.load(sys.stdin)
    results = [construct(case["role"], case["conf"]) for case in cases]
    json.dump({"libversion": confluent_kafka.libversion()[0], "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
