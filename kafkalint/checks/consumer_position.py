"""Where a consumer starts when its group has no committed offset: failing outright, or at the
end of the partition when the application plainly must not skip records."""

from __future__ import annotations

from typing import Iterator

from kafkalint.checks import CheckContext, Hit, source_phrase
from kafkalint.checks.registry import check
from kafkalint.knowledge import effective
from kafkalint.knowledge.client_requirements import OFFSET_RESET_FAILS, OFFSET_RESET_LATEST
from kafkalint.model import ClientConfig


@check("KL209")
def offset_reset_fails(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    reset = effective(config, "auto.offset.reset")
    failing = OFFSET_RESET_FAILS.get(config.dialect)
    if failing is None or reset.setting is None or not isinstance(reset.value, str):
        return
    if reset.value.strip().lower() == failing:
        yield Hit(reset.setting.key_location, {"reset": source_phrase(reset)})


@check("KL210")
def offset_reset_latest_with_manual_commits(config: ClientConfig, context: CheckContext) -> Iterator[Hit]:
    reset = effective(config, "auto.offset.reset")
    if reset.setting is None or not isinstance(reset.value, str) or reset.value.strip().lower() not in OFFSET_RESET_LATEST:
        return
    # Committing only after processing says every record counts: the evidence that skipping
    # a backlog would be a loss rather than a choice.
    commit = effective(config, "enable.auto.commit")
    if commit.setting is None or commit.value is not False:
        return
    yield Hit(reset.setting.key_location, {"reset": source_phrase(reset), "commit": source_phrase(commit)})
