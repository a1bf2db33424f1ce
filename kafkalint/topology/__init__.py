"""The Kafka surface of a tree drawn or described: a topology graph (graph.py) rendered as
Mermaid (mermaid.py) or Graphviz DOT (dot.py), and an AsyncAPI document (asyncapi.py)."""
