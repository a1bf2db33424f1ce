"""docs/rules.md is generated from the catalogue; this fails when someone forgets to regenerate."""

from __future__ import annotations

from kafkalint.catalogue import load_catalogue
from kafkalint.ruledoc import catalogue_markdown
from tests.conftest import ROOT

RULES_DOC = ROOT / "docs" / "rules.md"
REGENERATE = "python -m kafkalint.ruledoc --write docs/rules.md"


def test_rules_doc_matches_the_catalogue():
    expected = catalogue_markdown(load_catalogue())
    assert RULES_DOC.is_file(), f"docs/rules.md is missing; run `{REGENERATE}`"
    assert RULES_DOC.read_text(encoding="utf-8") == expected, (
        f"docs/rules.md is out of date with rules/*.yaml; run `{REGENERATE}` and commit it"
    )


def test_every_rule_has_its_sections_in_the_doc():
    text = RULES_DOC.read_text(encoding="utf-8")
    for rule in load_catalogue().rules:
        section = text.split(f"## {rule.code} {rule.name}\n", 1)
        assert len(section) == 2, f"{rule.code} has no section"
        body = section[1].split("\n## KL", 1)[0]
        for heading in ("### What it does", "### Why is this bad?", "### How to fix", "### Suppressing it"):
            assert heading in body, (rule.code, heading)
        assert "```" in body, f"{rule.code}: no example"
