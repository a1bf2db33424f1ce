"""What a client needs before it can start, connect and authenticate safely: required keys,
credentials per SASL mechanism, transport-security values that turn protection off.

Each fact names where it comes from; the librdkafka refusals were checked against the real
client (confluent-kafka 2.16.1, librdkafka 2.16.0) by tests/test_librdkafka_oracle.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from kafkalint.model import Dialect


@dataclass(slots=True, frozen=True)
class Fact:
    """A statement about a client's behaviour, with the source it was read from."""

    statement: str
    source: str


# librdkafka: rd_kafka_new() refuses a consumer without group.id ("group.id must be set").
LIBRDKAFKA_CONSUMER_REQUIRES_GROUP_ID = Fact(
    "librdkafka refuses to create a consumer (rd_kafka_new with RD_KAFKA_CONSUMER) without group.id",
    "librdkafka src/rdkafka.c rd_kafka_new: 'group.id must be set'; confluent-kafka 2.16.1 Consumer({}) raises",
)

@dataclass(slots=True, frozen=True)
class GroupCalls:
    """Consumer methods that raise when the consumer has no group.id, and what they raise."""

    methods: frozenset[str]
    raises: str
    since: str | None  # the first client version where a missing group.id means no group


# Clients that build a consumer without group.id (it only assigns partitions itself) but refuse
# the calls that need a group. librdkafka refuses the consumer itself (above).
GROUP_CALLS = {
    Dialect.JAVA: GroupCalls(
        frozenset({"subscribe", "commitSync", "commitAsync", "committed"}),
        "InvalidGroupIdException",
        # Before 2.2 group.id defaulted to "" and these calls used that empty group.
        "2.2",
    ),
    Dialect.KAFKA_PYTHON: GroupCalls(
        frozenset({"commit", "commit_async", "committed"}),
        'IllegalStateError ("Requires group_id"; an AssertionError before 3.0)',
        None,
    ),
    Dialect.AIOKAFKA: GroupCalls(frozenset({"commit", "committed"}), 'IllegalOperation ("Requires group_id")', None),
}
GROUP_CALLS_FACT = Fact(
    "without group.id the Java consumer (2.2+) throws InvalidGroupIdException from subscribe(), commitSync(), "
    "commitAsync() and committed(); kafka-python raises from commit(), commit_async() and committed() and "
    "aiokafka from commit() and committed(); subscribe() without a group is allowed in both Python clients",
    "kafka clients KafkaConsumer.maybeThrowInvalidGroupIdException (2.2.0, KIP-289: group.id default null) and "
    "consumer/internals/ClassicKafkaConsumer + AsyncKafkaConsumer (3.7+); kafka-python kafka/consumer/group.py "
    "commit/commit_async/committed (assert up to 2.3, IllegalStateError since 3.0.0); aiokafka 0.14.0 "
    "aiokafka/consumer/consumer.py commit/committed (IllegalOperation), subscribe (NoGroupCoordinator)",
)

# SASL mechanisms whose client side needs sasl.username and sasl.password in librdkafka.
LIBRDKAFKA_MECHANISMS_NEEDING_PASSWORD = frozenset({"PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"})

# aiokafka checks only PLAIN when the client is created (SCRAM fails later, at authentication),
# and only for None: an empty string passes.
AIOKAFKA_PLAIN_CREDENTIALS = Fact(
    "with security_protocol SASL_PLAINTEXT or SASL_SSL and sasl_mechanism PLAIN (the default), aiokafka "
    "raises ValueError when the client is created unless sasl_plain_username and sasl_plain_password are "
    "both given (not None); since aiokafka 0.5.1",
    "aiokafka aiokafka/client.py AIOKafkaClient.__init__: 'sasl_plain_username and sasl_plain_password "
    "required for PLAIN sasl' (added in d515c2f, 2018-12-30, first released in v0.5.1; unchanged in 0.14)",
)
AIOKAFKA_CREDENTIAL_KEYS = ("sasl.plain.username", "sasl.plain.password")
AIOKAFKA_MECHANISMS_NEEDING_PASSWORD = frozenset({"PLAIN"})  # checked when the client is created

# How each client refuses a SASL configuration without its credentials (the facts above).
SASL_CREDENTIALS_REFUSAL = {
    Dialect.LIBRDKAFKA: 'librdkafka refuses to create the client ("sasl.username and sasl.password must be set")',
    Dialect.AIOKAFKA: "aiokafka refuses to create the client (ValueError)",
}

AIOKAFKA_TLS_NEEDS_SSL_CONTEXT = Fact(
    "with security_protocol SSL or SASL_SSL, aiokafka raises ValueError when the client is created "
    "unless ssl_context is given: it builds no TLS context of its own; since aiokafka 0.2 (2016)",
    "aiokafka aiokafka/client.py AIOKafkaClient.__init__: \"`ssl_context` is mandatory if "
    "security_protocol=='SSL'\" (added in a3e8d94, 2016-11-15; unchanged in 0.14); checked against "
    "aiokafka 0.14.0 by tests/test_aiokafka_oracle.py",
)
AIOKAFKA_TLS_PROTOCOLS = frozenset({"SSL", "SASL_SSL"})
LIBRDKAFKA_SASL_CREDENTIALS = Fact(
    "with security.protocol sasl_plaintext/sasl_ssl and sasl.mechanisms PLAIN or SCRAM-SHA-*, librdkafka "
    "refuses to create the client unless sasl.username and sasl.password are both set and non-empty",
    "librdkafka src/rdkafka_sasl_plain.c and rdkafka_sasl_scram.c conf_validate: "
    "'sasl.username and sasl.password must be set'; confluent-kafka 2.16.1 Producer/Consumer raise _INVALID_ARG",
)
SASL_PROTOCOLS = frozenset({"sasl_plaintext", "sasl_ssl"})
TLS_PROTOCOLS = frozenset({"ssl", "sasl_ssl"})

# Mechanisms that put a reusable secret on the wire as it is: PLAIN sends the password,
# OAUTHBEARER the bearer token. SCRAM and GSSAPI never send the secret itself.
MECHANISMS_SENDING_SECRET = {"PLAIN": "password", "OAUTHBEARER": "bearer token"}
SECRET_ON_THE_WIRE = Fact(
    "SASL/PLAIN sends the password and SASL/OAUTHBEARER the token in the clear inside the SASL handshake; "
    "only TLS (SASL_SSL) protects them",
    "RFC 4616 (PLAIN) section 4; RFC 7628 (OAUTHBEARER) section 5; Kafka docs 'Authentication using SASL/PLAIN'",
)


# The value that turns hostname verification off, per client.
HOSTNAME_VERIFICATION_OFF = {
    Dialect.JAVA: "",  # Java: an empty ssl.endpoint.identification.algorithm (KIP-294, default https since 2.0)
    Dialect.LIBRDKAFKA: "none",  # CONFIGURATION.md: none|https, default https since 2.0; empty is refused
}
HOSTNAME_VERIFICATION = Fact(
    "ssl.endpoint.identification.algorithm='' (Java) or 'none' (librdkafka) skips checking that the broker "
    "certificate names the host connected to",
    "KIP-294; Java SslConfigs ssl.endpoint.identification.algorithm; librdkafka CONFIGURATION.md",
)

# TLS versions with known weaknesses (RFC 8996 deprecates TLS 1.0 and 1.1) and SSL.
LEGACY_TLS_PROTOCOLS = frozenset({"tlsv1", "tlsv1.1", "ssl", "sslv2", "sslv3"})
LEGACY_TLS = Fact(
    "TLS 1.0 and 1.1 are deprecated (RFC 8996); JDKs disable them by default since 8u291/11.0.11",
    "RFC 8996; Java SslConfigs ssl.protocol / ssl.enabled.protocols; JDK-8202343",
)

# Java producer: every batch is allocated from the buffer.memory pool; an allocation larger
# than the pool fails at once ("Attempt to allocate N bytes, but there is a hard limit of M").
JAVA_BUFFER_POOL = Fact(
    "the Java producer allocates max(batch.size, record size) bytes per batch from buffer.memory and "
    "throws IllegalArgumentException when that exceeds buffer.memory",
    "kafka clients/src/main/java/org/apache/kafka/clients/producer/internals/BufferPool.java allocate(); "
    "RecordAccumulator.append()",
)

# Values of auto.offset.reset that make a consumer fail instead of choosing a position.
OFFSET_RESET_FAILS = {
    Dialect.JAVA: "none",  # NoOffsetForPartitionException from poll()
    Dialect.LIBRDKAFKA: "error",  # an ERR__AUTO_OFFSET_RESET error event from poll()
    Dialect.AIOKAFKA: "none",  # aiokafka 0.14 fetcher: OffsetOutOfRangeError / NoOffsetForPartitionError to the application
}
# Values that start a group without committed offsets at the end of each partition.
OFFSET_RESET_LATEST = frozenset({"latest", "largest", "end"})
OFFSET_RESET = Fact(
    "auto.offset.reset=none (Java) / error (librdkafka) raise instead of positioning a consumer that has "
    "no committed offset, which every partition of a new group has",
    "Java ConsumerConfig auto.offset.reset doc; librdkafka CONFIGURATION.md auto.offset.reset; aiokafka 0.14 consumer doc",
)

# Spring Kafka's JsonDeserializer instantiates the class a record's __TypeId__ header names
# when its package is trusted; `*` trusts every class on the classpath.
SPRING_TRUSTED_PACKAGES = Fact(
    "spring.json.trusted.packages=* lets JsonDeserializer instantiate any class named in a record header",
    "spring-kafka JsonDeserializer.TRUSTED_PACKAGES javadoc and reference 'Serialization, Deserialization'",
)

LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})


def bootstrap_hosts(value: object) -> list[str] | None:
    """The host names of a bootstrap list (`a:9092,b:9092`, a list, `SASL_SSL://a:9093`), or None."""
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, (list, tuple)):
        items = [str(item) for item in value]
    else:
        return None
    hosts = []
    for item in items:
        text = item.strip()
        if "://" in text:
            text = text.split("://", 1)[1]
        if text.startswith("["):
            host = text.split("]", 1)[0] + "]"
        else:
            host = text.rsplit(":", 1)[0] if text.count(":") == 1 else text
        if host:
            hosts.append(host.lower())
    return hosts


def url_host(url: str) -> str:
    rest = url.split("://", 1)[1] if "://" in url else url
    host = rest.split("/", 1)[0].rsplit("@", 1)[-1]
    if host.startswith("["):
        return host.split("]", 1)[0] + "]"
    return host.rsplit(":", 1)[0].lower()


# --- production evidence ----------------------------------------------------------------------

PRODUCTION_PROFILES = frozenset({"prod", "production"})
_PRODUCTION_PATH_PART = re.compile(r"(?:^|[-_.])(prod|production)(?:[-_.]|$)", re.IGNORECASE)


def production_evidence(profile: str | None, path: str) -> str | None:
    """Why a configuration is for production (`profile prod`, `path deploy/prod/...`), or None.

    Only a stated profile or a path part named prod/production counts ("product" does not)."""
    if profile is not None and profile.lower() in PRODUCTION_PROFILES:
        return f"profile {profile}"
    parts = PurePosixPath(path.replace("\\", "/")).parts
    if any(_PRODUCTION_PATH_PART.search(part) for part in parts):
        return f"path {path}"
    return None


# Confluent Schema Registry serializers register the schema of every record type they meet
# unless auto.register.schemas=false (AbstractKafkaSchemaSerDeConfig, default true).
CONFLUENT_SERIALIZER_PREFIX = "io.confluent.kafka.serializers."
AUTO_REGISTER_DEFAULT = Fact(
    "auto.register.schemas defaults to true in the Confluent serializers",
    "schema-registry AbstractKafkaSchemaSerDeConfig AUTO_REGISTER_SCHEMAS (default true); Confluent docs "
    "'Schema Registry in production: disable auto schema registration'",
)
