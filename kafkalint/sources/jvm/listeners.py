"""Spring `@KafkaListener` annotations: a listener container's consumer, with the group id,
topics and `properties` the annotation writes (merged by the container over a consumer factory
seen elsewhere, so never a whole configuration). Mixed into FileAnalysis (analysis.py)."""

from __future__ import annotations

from typing import Any

from kafkalint.model import ClientConfig, Dialect, Location, Role
from kafkalint.sources.jvm import grammar
from kafkalint.sources.jvm.grammar import Node
from kafkalint.sources.jvm.values import ConfigMap, Entry
from kafkalint.sources.jvm.walk_state import ClientRecord


class ListenerAnnotations:
    def _annotation(self, node: Node) -> None:
        parts = grammar.annotation_parts(node, self.language)
        if parts is None or parts[0] != "KafkaListener" or not self.values.is_class("KafkaListener", "org.springframework.kafka.annotation"):
            return
        attributes = parts[1]
        client = ClientConfig(role=Role.CONSUMER, dialect=Dialect.JAVA, anchor=self._location(node), name="@KafkaListener", origin="java")
        client.extras["listener_container"] = True
        # The container merges these over the consumer factory's configuration, seen elsewhere.
        client.all_settings_known = False
        config = ConfigMap(complete=False)
        for item in grammar.elements(attributes["properties"]) if "properties" in attributes else []:
            written = grammar.string_value(item, self.language)
            if written is None:
                continue
            self._listener_property(config, written, item)
        for attribute, key in (("groupId", "group.id"), ("id", None)):
            if attribute in attributes and key is not None:
                value = self.values.value(attributes[attribute])
                if isinstance(value, str) and value:
                    config.entries[key] = Entry(key, value, value, attributes[attribute], attributes[attribute])
        topics_node = attributes.get("topics", attributes.get("value"))
        if topics_node is not None:
            for item in grammar.elements(topics_node):
                value = self.values.value(item)
                if isinstance(value, str) and not value.startswith(("${", "#{")):
                    client.topics.append((value, self._location(item)))
                else:
                    client.group_topics_unknown = True
        client.extras["entries"] = config
        self.all_clients.append(ClientRecord(client, None))

    def _listener_property(self, config: ConfigMap, written: str, item: Node) -> None:
        """`"max.poll.records=5000"` (java.util.Properties syntax: `=`, `:` or a space)."""
        separator = min((written.find(mark) for mark in "=: " if written.find(mark) > 0), default=-1)
        if separator < 0:
            return
        key = written[:separator].strip()
        raw = written[separator + 1 :].strip()
        value: Any = raw
        line = item.start_point[0] + 1
        first = self._column(item.start_point) + 1  # after the opening quote
        key_location = Location(self.display, line, first, line, first + len(key))
        value_column = first + written.index(raw, separator + 1) if raw else first + len(written)
        value_location = Location(self.display, line, value_column, line, value_column + len(raw))
        config.entries[key] = Entry(key, value, raw, key_location, value_location)
