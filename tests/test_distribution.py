"""How kafkalint reaches users: `python -m kafkalint`, package metadata, and the install recipes
(pip from git, pre-commit, the GitHub Action, the container image) naming one real place."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
import yaml

from kafkalint import __version__
from tests.conftest import ROOT

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
HOME = PYPROJECT["project"]["urls"]["Homepage"]
RECIPE_FILES = ["README.md", "docs/ci.md", "docs/editors.md", ".pre-commit-hooks.yaml", "action.yml", "Dockerfile"]


def test_python_dash_m_kafkalint_runs_the_cli(tmp_path):
    version = subprocess.run([sys.executable, "-m", "kafkalint", "--version"], capture_output=True, text=True, timeout=60)
    assert (version.returncode, version.stdout) == (0, f"kafkalint {__version__}\n")
    (tmp_path / "producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    check = subprocess.run([sys.executable, "-m", "kafkalint", "check", "--select", "KL101", "producer.properties"],
                           cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert check.returncode == 1 and check.stdout.startswith("producer.properties:2:1: KL101 [error] acks=0")


def test_package_metadata_has_urls_classifiers_and_the_lsp_extra():
    project = PYPROJECT["project"]
    assert HOME.startswith("https://github.com/")
    assert {"Homepage", "Documentation", "Issues"} <= set(project["urls"])
    classifiers = project["classifiers"]
    assert "Topic :: Software Development :: Quality Assurance" in classifiers
    # One classifier per supported Python, from the floor in requires-python.
    floor = int(project["requires-python"].removeprefix(">=3."))
    listed = sorted(int(item.rsplit(".", 1)[1]) for item in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", item))
    assert listed[0] == floor and listed == list(range(floor, listed[-1] + 1))
    extras = project["optional-dependencies"]
    assert [item for item in extras["lsp"] if item.startswith("pygls")]
    assert [item for item in extras["test"] if item.startswith("pygls")]
    # A CLI that refuses the current typer breaks shared environments.
    assert not [item for item in project["dependencies"] if item.startswith("typer") and "<" in item]


@pytest.mark.parametrize("name", RECIPE_FILES)
def test_recipes_name_the_project_url_and_the_current_release_tag(name):
    text = (ROOT / name).read_text()
    assert "<kafkalint" not in text and "git URL>" not in text  # no placeholder left to fill in
    repository = HOME.removeprefix("https://github.com/")
    for match in re.finditer(r"(?:github\.com/|uses: )(?P<repo>[\w.-]+/kafkalint)(?:\.git)?(?P<ref>[@#][\w.-]+)?", text):
        assert match.group("repo") == repository, match.group(0)
        if match.group("ref"):
            assert match.group("ref")[1:] == f"v{__version__}", match.group(0)
    for rev in re.findall(r"rev: (\S+)", text):
        assert rev == f"v{__version__}"


def test_the_action_is_composite_and_never_pastes_inputs_into_shell_code():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    for step in steps:
        assert step["shell"] == "bash"
        assert "${{" not in step["run"], step["name"]  # inputs come in as environment variables
    assert '"$GITHUB_ACTION_PATH"' in steps[0]["run"]  # installs the kafkalint of the ref in use
    assert "check" in steps[-1]["run"] and "--format github" in steps[-1]["run"]
    used = {value.removeprefix("${{ inputs.").removesuffix(" }}") for step in steps for value in step.get("env", {}).values()}
    assert used == set(action["inputs"])


def test_the_dockerfile_copies_only_what_exists_and_runs_kafkalint_unprivileged():
    text = (ROOT / "Dockerfile").read_text()
    for line in re.findall(r"^COPY (?!--from)(.+)$", text, flags=re.M):
        *sources, _ = line.split()
        for source in sources:
            assert (ROOT / source).exists(), source
    assert 'ENTRYPOINT ["kafkalint"]' in text
    assert re.search(r"^USER (?!root)\w+", text, flags=re.M)


@pytest.mark.slow
def test_the_pip_from_git_recipe_installs_kafkalint(tmp_path):
    """docs/ci.md's `pip install "kafkalint @ git+URL@TAG"`, with the URL pointing at a clone of
    this tree tagged like the release (no network: no dependencies, no build isolation)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    recipe = re.search(r'pip install "(kafkalint @ git\+(\S+?)@(v[\w.]+))"', (ROOT / "docs" / "ci.md").read_text())
    assert recipe is not None
    requirement, url, tag = recipe.groups()
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", "__pycache__", ".benchmarks"))
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e",
           "HOME": str(tmp_path), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "release"], ["tag", tag]):
        subprocess.run(["git", *command], cwd=source, env=env, check=True, capture_output=True, timeout=120)
    # file://localhost/...: pip's requirement parser refuses an empty host (file:///...).
    local = requirement.replace(url, f"file://localhost{source}")
    target = tmp_path / "site"
    completed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--no-build-isolation", "--target", str(target), local],
        capture_output=True, text=True, timeout=600,
    )
    assert completed.returncode == 0, completed.stderr
    assert (target / "kafkalint" / "rules").is_dir()
    assert (target / "kafkalint" / "server.py").is_file()


def test_pre_commit_hook_passes_every_kind_of_file_kafkalint_reads():
    """pre-commit hands the hook only files its `files` pattern matches: a format missing from
    the pattern (Java, Kotlin, a Gradle version catalog) would never be linted in a commit."""
    from kafkalint.formats import FORMATS

    hook = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())[0]
    pattern = re.compile(hook["files"])
    examples = []
    for file_format in FORMATS:
        examples += [f"src/main/Example{extension}" for extension in file_format.extensions]
        examples += [f"module/{name}" for name in file_format.file_names]
        examples += [f"module/{glob.replace('*', 'dev')}" for glob in file_format.name_globs]
    missed = [example for example in examples if not pattern.search(example)]
    assert examples and missed == []
    assert not pattern.search("src/main/Example.class") and not pattern.search("README.md")
