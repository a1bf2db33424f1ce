"""kafkalint: a linter for Kafka client, framework and cluster configuration."""

__version__ = "0.2.5"
