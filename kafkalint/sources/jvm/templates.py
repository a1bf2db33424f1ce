"""Topics a Spring `KafkaTemplate` sends to, given to the producer that template uses.

The template's producer is configured in another file: `spring.kafka.producer.*` in the
module's application.yml/properties, or a `DefaultKafkaProducerFactory` in Java. After every
file is read, each template topic goes to the one producer of the same Maven/Gradle module
(its base profile); with none, or several that could be it, the topic stays unattached rather
than guessed.
"""

from __future__ import annotations

from typing import Any

from kafkalint.model import ClientConfig, Project, Role

TEMPLATE_TOPIC = "jvm-template-topic"


def module_of(display: str) -> str | None:
    """`orders-service` of `orders-service/src/main/java/...`: the Maven/Gradle module."""
    parts = display.replace("\\", "/").split("/")
    if "src" not in parts:
        return None
    return "/".join(parts[: parts.index("src")])


def resolve_template_topics(project: Project, settings: Any = None) -> None:
    uses = list(project.facts_of(TEMPLATE_TOPIC))
    if not uses:
        return
    by_module: dict[str, list[ClientConfig]] = {}
    for client in project.clients:
        if client.role is not Role.PRODUCER or client.profile is not None:
            continue
        module = module_of(client.anchor.path)
        if module is not None:
            by_module.setdefault(module, []).append(client)
    for fact in uses:
        module = fact.detail.get("module")
        candidates = by_module.get(module, []) if module is not None else []
        if len(candidates) != 1:
            continue
        [producer] = candidates
        producer.topics.append((fact.detail["topic"], fact.location))
        if fact.detail["keyed"]:
            producer.extras["keyed"] = True
