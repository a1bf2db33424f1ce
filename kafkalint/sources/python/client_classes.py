"""Which Python classes build Kafka clients, by fully qualified name, and what each builds.

Names are the public import paths of confluent-kafka 2.16 (plus the `experimental.aio` path
its asyncio classes had before they moved to `confluent_kafka.aio`), kafka-python (and its
kafka-python-ng fork, same `kafka` package) and aiokafka.
"""

from __future__ import annotations

from dataclasses import dataclass

from kafkalint.model import Dialect, Role

CONFLUENT = "confluent-kafka"
KAFKA_PYTHON = "kafka-python"
AIOKAFKA = "aiokafka"


@dataclass(slots=True, frozen=True)
class ClientClass:
    """One client class: its library, role, dialect and how it takes its configuration."""

    name: str
    library: str
    role: Role
    dialect: Dialect
    asynchronous: bool = False
    # Keyword that names the configuration dict for the confluent-kafka classes.
    config_keyword: str | None = None
    # confluent-kafka DeserializingConsumer raises on error messages instead of returning them.
    raises_on_error_message: bool = False
    # Keyword arguments that are constructor options, not client configuration.
    non_config_keywords: frozenset[str] = frozenset()

    @property
    def keyword_config(self) -> bool:
        """kafka-python and aiokafka take their configuration as keyword arguments."""
        return self.library != CONFLUENT


_AIO_OPTIONS = frozenset({"max_workers", "executor", "batch_size", "buffer_timeout"})


def _confluent(name: str, role: Role, asynchronous: bool = False, raises: bool = False, keyword: str = "conf") -> ClientClass:
    return ClientClass(
        name, CONFLUENT, role, Dialect.LIBRDKAFKA, asynchronous, keyword, raises,
        _AIO_OPTIONS if asynchronous else frozenset(),
    )


_CLASSES: list[tuple[tuple[str, ...], ClientClass]] = [
    (("confluent_kafka",), _confluent("Producer", Role.PRODUCER)),
    (("confluent_kafka",), _confluent("SerializingProducer", Role.PRODUCER)),
    (("confluent_kafka",), _confluent("Consumer", Role.CONSUMER)),
    (("confluent_kafka",), _confluent("DeserializingConsumer", Role.CONSUMER, raises=True)),
    (("confluent_kafka.admin",), _confluent("AdminClient", Role.ADMIN)),
    (
        ("confluent_kafka.aio", "confluent_kafka.aio.producer", "confluent_kafka.experimental.aio",
         "confluent_kafka.experimental.aio.producer"),
        _confluent("AIOProducer", Role.PRODUCER, asynchronous=True, keyword="producer_conf"),
    ),
    (
        ("confluent_kafka.aio", "confluent_kafka.experimental.aio"),
        _confluent("AIOConsumer", Role.CONSUMER, asynchronous=True, keyword="consumer_conf"),
    ),
    (("confluent_kafka.aio",), _confluent("AsyncSerializingProducer", Role.PRODUCER, asynchronous=True)),
    (("confluent_kafka.aio",), _confluent("AsyncDeserializingConsumer", Role.CONSUMER, asynchronous=True, raises=True)),
    (("kafka", "kafka.producer"), ClientClass("KafkaProducer", KAFKA_PYTHON, Role.PRODUCER, Dialect.KAFKA_PYTHON)),
    (("kafka", "kafka.consumer"), ClientClass("KafkaConsumer", KAFKA_PYTHON, Role.CONSUMER, Dialect.KAFKA_PYTHON)),
    (("kafka", "kafka.admin"), ClientClass("KafkaAdminClient", KAFKA_PYTHON, Role.ADMIN, Dialect.KAFKA_PYTHON)),
    (("aiokafka", "aiokafka.producer"), ClientClass("AIOKafkaProducer", AIOKAFKA, Role.PRODUCER, Dialect.AIOKAFKA, True)),
    (("aiokafka", "aiokafka.consumer"), ClientClass("AIOKafkaConsumer", AIOKAFKA, Role.CONSUMER, Dialect.AIOKAFKA, True)),
]

CLIENT_CLASSES: dict[str, ClientClass] = {
    f"{module}.{client.name}": client for modules, client in _CLASSES for module in modules
}

def client_class(qualified_name: str) -> ClientClass | None:
    return CLIENT_CLASSES.get(qualified_name)
