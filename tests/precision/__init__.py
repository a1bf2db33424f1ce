"""The precision suite: every finding kafkalint prints on the reference corpus, with a verdict.

`triage.yaml` lists each finding by path, line and rule code (never message text, so rewording a
message does not churn it) with a verdict and a one-line reason:

- right: a user who owns the file would want this finding;
- false-alarm: the finding is wrong (a bug to fix);
- noise: true but useless, e.g. a restatement of another finding's root cause.

`tests/test_precision.py` fails when a finding appears or disappears; `python -m
tests.precision.report` prints error+warning precision and the noise share. To extend it after a
change of findings: run the report with `--missing` to print the new entries as YAML, judge
each, and paste them in.
"""
