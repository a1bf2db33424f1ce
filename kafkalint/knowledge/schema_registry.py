"""Confluent Schema Registry deserializers: what they hand the application unless told to build
the application's own generated classes, and the setting that tells them.

Sources: confluentinc/schema-registry (master, 2026-08; the keys and defaults below are the same
since 5.x) avro-serializer KafkaAvroDeserializerConfig / AbstractKafkaAvroDeserializer /
KafkaAvroDeserializer.configure, protobuf-serializer KafkaProtobufDeserializerConfig /
AbstractKafkaProtobufDeserializer, schema-serializer AbstractKafkaSchemaSerDeConfig.
"""

from __future__ import annotations

from dataclasses import dataclass

from kafkalint.knowledge.client_requirements import Fact


@dataclass(slots=True, frozen=True)
class GenericReader:
    """A deserializer that returns generic objects unless one of `specific_when` is set."""

    deserializer: str  # fully qualified class name
    generic_class: str  # what it returns by default
    # Settings that make it return the application's classes: key -> the value that does
    # (None: any value set). The first one is what the fix names.
    specific_when: tuple[tuple[str, str | None], ...]
    fact: Fact


GENERIC_READERS = (
    GenericReader(
        "io.confluent.kafka.serializers.KafkaAvroDeserializer",
        "GenericData.Record",
        # schema.reflection=true reads with ReflectDatumReader into the class the schema names.
        (("specific.avro.reader", "true"), ("schema.reflection", "true")),
        Fact(
            "KafkaAvroDeserializer returns GenericData.Record unless specific.avro.reader=true (default false); "
            "specific.avro.value.type is ignored (a warning is logged) while specific.avro.reader is false",
            "schema-registry avro-serializer KafkaAvroDeserializerConfig SPECIFIC_AVRO_READER_CONFIG "
            "(\"specific.avro.reader\", SPECIFIC_AVRO_READER_DEFAULT = false); AbstractKafkaAvroDeserializer."
            "createDatumReader (GenericDatumReader unless useSpecificAvroReader or useSchemaReflection); "
            "KafkaAvroDeserializer.configure",
        ),
    ),
    GenericReader(
        "io.confluent.kafka.serializers.protobuf.KafkaProtobufDeserializer",
        "DynamicMessage",
        (("specific.protobuf.value.type", None), ("derive.type", "true")),
        Fact(
            "KafkaProtobufDeserializer returns com.google.protobuf.DynamicMessage unless "
            "specific.protobuf.value.type names the generated class or derive.type=true (default false)",
            "schema-registry protobuf-serializer KafkaProtobufDeserializerConfig SPECIFIC_PROTOBUF_VALUE_TYPE, "
            "DERIVE_TYPE_CONFIG; AbstractKafkaProtobufDeserializer.deserialize (DynamicMessage.parseFrom otherwise)",
        ),
    ),
)

# Value types a generic reader's result is (or may be read as): these consumers expect generic
# records, so nothing is wrong. Simple names are java.lang / kotlin classes no file imports.
GENERIC_VALUE_TYPES = frozenset({
    "Object", "Any", "String", "CharSequence", "Integer", "Int", "Long", "Double", "Float", "Short", "Boolean",
    "ByteArray", "Void", "Unit", "Nothing",
    "org.apache.avro.specific.SpecificRecord", "org.apache.avro.specific.SpecificRecordBase",
    "org.apache.avro.generic.IndexedRecord", "org.apache.avro.generic.GenericContainer",
    "com.google.protobuf.Message", "com.google.protobuf.MessageLite", "com.google.protobuf.MessageOrBuilder",
    "com.google.protobuf.AbstractMessage", "com.google.protobuf.GeneratedMessage", "com.google.protobuf.GeneratedMessageV3",
    "org.apache.kafka.common.utils.Bytes",
})
# Packages whose classes are library types, never the application's generated records.
GENERIC_VALUE_PACKAGES = (
    "java.", "javax.", "kotlin.", "org.apache.avro.generic.", "org.apache.avro.util.", "com.google.protobuf.",
    "com.fasterxml.", "org.apache.kafka.",
)


def reader_of(deserializer: object) -> GenericReader | None:
    for reader in GENERIC_READERS:
        if deserializer == reader.deserializer:
            return reader
    return None


def is_application_class(value_type: str) -> bool:
    """A class of the application (an Avro- or protoc-generated record, a POJO), not a
    library type a generic reader's result may be read as."""
    if value_type in GENERIC_VALUE_TYPES:
        return False
    return not value_type.startswith(GENERIC_VALUE_PACKAGES)
