"""Java and Kotlin source (tree-sitter, never compiled): reader.py reads one file, grammar.py
names the syntax, values.py resolves names and configuration maps, analysis.py walks the tree
and records clients, topics and code facts, templates.py gives KafkaTemplate topics to their
producer once every file is read."""
