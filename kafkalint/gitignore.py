"""Which files discovery skips beyond its built-in list: what git ignores, and the user's
`exclude` globs read relative to the settings file.

A small reading of gitignore(5): per-directory `.gitignore` files plus `.git/info/exclude`,
negation, directory-only and anchored patterns, `*`, `?`, `[...]` and `**`. Only inside a git
work tree, as git itself and ripgrep do, so a stray .gitignore elsewhere changes nothing.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass
from pathlib import Path

from kafkalint.safefile import read_regular_bytes
from kafkalint.settings import Settings


# Bounds on what one ignore file may cost. A file over them is not used at all: lint more
# files rather than fewer (an unused ignore file can only add findings, never hide one).
MAX_IGNORE_FILE_BYTES = 1024 * 1024
MAX_PATTERNS_PER_FILE = 10_000
MAX_PATTERN_LENGTH = 4096  # git's PATH_MAX: no real path is longer


@dataclass(slots=True, frozen=True)
class CharacterClass:
    """`[...]`: single characters and ranges, possibly negated; a reversed range (`z-a`)
    matches nothing, as in git's wildmatch."""

    ranges: tuple[tuple[str, str], ...]
    negated: bool

    def matches(self, char: str) -> bool:
        inside = any(low <= char <= high for low, high in self.ranges) and char != "/"
        return inside != self.negated and char != "/"


_POSIX_CLASSES: dict[str, tuple[tuple[str, str], ...]] = {
    "alpha": (("a", "z"), ("A", "Z")), "digit": (("0", "9"),), "alnum": (("a", "z"), ("A", "Z"), ("0", "9")),
    "upper": (("A", "Z"),), "lower": (("a", "z"),), "xdigit": (("0", "9"), ("a", "f"), ("A", "F")),
    "space": ((" ", " "), ("\t", "\r")), "blank": ((" ", " "), ("\t", "\t")),
    "punct": (("!", "/"), (":", "@"), ("[", "`"), ("{", "~")), "cntrl": (("\x00", "\x1f"), ("\x7f", "\x7f")),
    "graph": (("!", "~"),), "print": ((" ", "~"),),
}

STAR = "*"  # a token: any run of characters but `/`
ANY = "?"   # a token: one character but `/`
# A segment is a tuple of tokens: STAR, ANY, a CharacterClass, or a one-character literal
# (a literal `*` or `?` is the one-character string inside a 1-tuple, to tell it apart).


def _character_class(body: str, index: int) -> tuple[CharacterClass, int] | None:
    """The class starting at body[index] == '[' and the index after it; None if unclosed."""
    position = index + 1
    negated = body[position : position + 1] in ("!", "^")
    if negated:
        position += 1
    ranges: list[tuple[str, str]] = []
    first = True
    while position < len(body):
        char = body[position]
        if char == "]" and not first:
            return CharacterClass(tuple(ranges), negated), position + 1
        first = False
        if char == "[" and body[position + 1 : position + 2] == ":":
            close = body.find(":]", position + 2)
            if close >= 0:
                ranges.extend(_POSIX_CLASSES.get(body[position + 2 : close], ()))  # unknown: nothing
                position = close + 2
                continue
        if char == "\\" and position + 1 < len(body):
            position += 1
            char = body[position]
        low = char
        position += 1
        if body[position : position + 1] == "-" and position + 1 < len(body) and body[position + 1] != "]":
            high = body[position + 1]
            if high == "\\" and position + 2 < len(body):
                high = body[position + 2]
                position += 1
            position += 2
            if low <= high:
                ranges.append((low, high))
            continue
        ranges.append((low, low))
    return None


def _segment_tokens(segment: str) -> tuple:
    tokens: list = []
    index = 0
    while index < len(segment):
        char = segment[index]
        if char == "*":
            if not tokens or tokens[-1] is not STAR:  # `**` inside a segment is a `*`
                tokens.append(STAR)
            index += 1
        elif char == "?":
            tokens.append(ANY)
            index += 1
        elif char == "[":
            parsed = _character_class(segment, index)
            if parsed is None:
                tokens.append(("[",))
                index += 1
            else:
                tokens.append(parsed[0])
                index = parsed[1]
        elif char == "\\" and index + 1 < len(segment):
            tokens.append((segment[index + 1],))
            index += 2
        else:
            tokens.append((char,))
            index += 1
    return tuple(tokens)


def _segment_matches(tokens: tuple, name: str) -> bool:
    """Wildcard match of one path component, without backtracking blow-ups: each `*` only
    ever restarts from the last one (O(len(name) * len(tokens)))."""
    token_index = name_index = 0
    star_token = -1
    star_name = 0
    while name_index < len(name):
        token = tokens[token_index] if token_index < len(tokens) else None
        if token is STAR:
            star_token, star_name = token_index, name_index
            token_index += 1
            continue
        char = name[name_index]
        if token is not None and (
            (token is ANY) or (token.matches(char) if isinstance(token, CharacterClass) else token[0] == char)
        ):
            token_index += 1
            name_index += 1
        elif star_token >= 0:
            star_name += 1
            token_index, name_index = star_token + 1, star_name
        else:
            return False
    return all(token is STAR for token in tokens[token_index:])


def _quick_form(tokens: tuple) -> tuple[str, str] | None:
    """Most segments are a plain name, `*.ext` or `prefix*`: (how, text) to test those with a
    string comparison instead of the general matcher; None for any other shape."""
    if not tokens:
        return None
    star_first, star_last = tokens[0] is STAR, tokens[-1] is STAR and len(tokens) > 1
    middle = tokens[1 if star_first else 0 : len(tokens) - 1 if star_last else len(tokens)]
    if (star_first and star_last) or not all(isinstance(token, tuple) for token in middle):
        return None
    text = "".join(token[0] for token in middle)
    return ("suffix" if star_first else "prefix" if star_last else "equal"), text


def _segment_matches_quickly(tokens: tuple, quick: tuple[str, str] | None, name: str) -> bool:
    if quick is None:
        return _segment_matches(tokens, name)
    how, text = quick
    if how == "equal":
        return name == text
    return name.endswith(text) if how == "suffix" else name.startswith(text)


@dataclass(slots=True, frozen=True)
class IgnorePattern:
    """One gitignore line: path segments, `**` (any number of directories) among them."""

    segments: tuple  # of token tuples, or the string "**"
    anchored: bool
    negated: bool
    directory_only: bool
    # The quick form (see _quick_form) of a one-segment pattern, the shape of most lines.
    quick: tuple[str, str] | None = None

    def matches(self, relative: str) -> bool:
        return self.matches_entry(relative, relative.rpartition("/")[2])

    def matches_entry(self, relative: str, name: str) -> bool:
        """`relative` (to the ignore file's folder) whose last component is `name`."""
        if not self.anchored:  # no `/` in the pattern: it names the last component
            return len(self.segments) == 1 and _segment_matches_quickly(self.segments[0], self.quick, name)
        if len(self.segments) == 1 and self.segments[0] != "**":  # `/name`: directly in that folder
            return "/" not in relative and _segment_matches_quickly(self.segments[0], self.quick, relative)
        return _path_matches(self.segments, tuple(relative.split("/")))


def _path_matches(segments: tuple, parts: tuple[str, ...]) -> bool:
    """Segments against path components; `**` takes zero or more components (one or more
    when it ends the pattern: `dir/**` is everything inside dir). Memoised: polynomial."""
    seen: dict[tuple[int, int], bool] = {}

    def match(segment_index: int, part_index: int) -> bool:
        key = (segment_index, part_index)
        if key in seen:
            return seen[key]
        if segment_index == len(segments):
            result = part_index == len(parts)
        elif segments[segment_index] == "**":
            last = segment_index == len(segments) - 1
            if last:
                result = part_index < len(parts)
            else:
                result = any(match(segment_index + 1, start) for start in range(part_index, len(parts) + 1))
        else:
            result = (
                part_index < len(parts)
                and _segment_matches(segments[segment_index], parts[part_index])
                and match(segment_index + 1, part_index + 1)
            )
        seen[key] = result
        return result

    return match(0, 0)


def _pattern(body: str, negated: bool, directory_only: bool) -> IgnorePattern:
    anchored = "/" in body
    segments: tuple = ()
    for part in body.lstrip("/").split("/"):
        if part != "**":
            segments += (_segment_tokens(part),)
        elif not segments or segments[-1] != "**":  # `**/**` is `**`
            segments += ("**",)
    if anchored and segments and segments[0] == "**" and len(segments) > 1 and "/" not in body.lstrip("/")[3:]:
        # `**/name` is `name` at any depth: the same as an unanchored `name`.
        anchored, segments = False, segments[1:]
    quick = _quick_form(segments[0]) if len(segments) == 1 and segments[0] != "**" else None
    return IgnorePattern(segments, anchored, negated, directory_only, quick)


def parse_gitignore(text: str) -> list[IgnorePattern]:
    patterns: list[IgnorePattern] = []
    for raw in text.splitlines():
        line = raw.rstrip("\r")
        if not line or line.startswith("#") or len(line) > MAX_PATTERN_LENGTH:
            continue
        # Trailing spaces are ignored unless escaped with a backslash.
        stripped = line.rstrip(" ")
        if stripped.endswith("\\") and len(stripped) < len(line):
            stripped += " "
        line = stripped
        negated = line.startswith("!")
        if negated:
            line = line[1:]
        elif line.startswith("\\!") or line.startswith("\\#"):
            line = line[1:]
        directory_only = line.endswith("/")
        line = line.rstrip("/")
        if not line:
            continue
        patterns.append(_pattern(line, negated, directory_only))
    return patterns


class GitignoreMatcher:
    """Answers `ignored(path, is_dir)` for paths, caching per directory what applies there.

    Discovery asks about every entry of every directory it walks, so the per-entry work is a
    few string operations: `ignored_entry(directory, name, is_dir)` with the directory's
    absolute path (no path arithmetic), and the ignore files that apply in a directory (with
    the directory's path relative to each) are worked out once per directory."""

    def __init__(self, explicit_roots: set[str] | frozenset[str] = frozenset()) -> None:
        # Directories the user named: linted even when ignored, like the files inside them
        # that no pattern of their own ignores (`kafkalint check build/` means it).
        self._explicit_roots = explicit_roots
        self._explicit_names: dict[str, set[str]] = {}  # parent folder -> names of explicit roots
        for root in explicit_roots:
            parent, name = os.path.split(root)
            self._explicit_names.setdefault(parent, set()).add(name)
        self._patterns: dict[str, list[IgnorePattern]] = {}
        self._repo_roots: dict[str, str | None] = {}
        self._directory_verdicts: dict[str, bool] = {}
        self._layers: dict[str, tuple[tuple[list[IgnorePattern], str], ...]] = {}
        self._without_ignore_file: set[str] = set()  # listed by the walk: no .gitignore there

    def _repo_root(self, directory: str) -> str | None:
        """The work tree holding `directory` (the nearest folder with `.git` upward), or None."""
        known = self._repo_roots.get(directory, False)
        if known is not False:
            return known  # type: ignore[return-value]
        unknown: list[str] = []
        folder = directory
        while True:
            known = self._repo_roots.get(folder, False)
            if known is not False:
                root = known
                break
            unknown.append(folder)
            if os.path.exists(os.path.join(folder, ".git")):
                root = folder
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                root = None
                break
            folder = parent
        for folder in unknown:
            self._repo_roots[folder] = root  # type: ignore[assignment]
        return root  # type: ignore[return-value]

    def note_listing(self, directory: str, entries: frozenset[str]) -> None:
        """The walk listed `directory`, and `entries` says which of `.git` and `.gitignore` are
        in it: without a `.git` entry it belongs to its parent's work tree, and without a
        `.gitignore` there is nothing of its own to read, both known without looking (a stat,
        and a failed open, per directory of a large tree saved)."""
        if ".gitignore" not in entries:
            self._without_ignore_file.add(directory)
        if ".git" in entries or directory in self._repo_roots:
            return  # a `.git` entry is checked as git would (it may be a dangling link)
        parent = os.path.dirname(directory)
        if parent != directory and parent in self._repo_roots:
            self._repo_roots[directory] = self._repo_roots[parent]

    def _patterns_of(self, directory: str, repo_root: str) -> list[IgnorePattern]:
        if directory not in self._patterns:
            patterns: list[IgnorePattern] = []
            sources = [] if directory in self._without_ignore_file else [os.path.join(directory, ".gitignore")]
            if directory == repo_root:
                sources.insert(0, os.path.join(directory, ".git", "info", "exclude"))
            for source in sources:
                try:
                    # Not through a symlink (as git since 2.32): a .gitignore linked to
                    # /dev/zero or a FIFO would never end; nor past the size cap.
                    data = read_regular_bytes(source, MAX_IGNORE_FILE_BYTES, follow_symlinks=False)
                except OSError:
                    continue
                parsed = parse_gitignore(data.decode("utf-8", errors="replace"))
                if len(parsed) <= MAX_PATTERNS_PER_FILE:
                    patterns.extend(parsed)
            self._patterns[directory] = patterns
        return self._patterns[directory]

    def _layers_of(self, directory: str, repo_root: str) -> tuple[tuple[list[IgnorePattern], str], ...]:
        """The ignore files that apply to entries of `directory`, from the repository root down
        (a deeper one overrides a shallower one), each with the prefix that makes an entry's
        name relative to that file's folder. Only files with patterns are listed."""
        layers = self._layers.get(directory)
        if layers is not None:
            return layers
        chain: list[str] = []  # directories whose layers are not known yet, deepest first
        folder = directory
        while folder not in self._layers:
            chain.append(folder)
            if folder == repo_root:
                break
            folder = os.path.dirname(folder)
        inherited = self._layers.get(folder, ()) if folder not in chain else ()
        for folder in reversed(chain):
            if folder != repo_root:
                name = os.path.basename(folder)
                inherited = tuple((patterns, f"{prefix}{name}/") for patterns, prefix in inherited)
            own = self._patterns_of(folder, repo_root)
            if own:
                inherited = (*inherited, (own, ""))
            self._layers[folder] = inherited
        return inherited

    def ignored(self, path: Path | str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        parent, name = os.path.split(absolute)
        if not name:  # the file-system root
            return False
        return self.ignored_entry(parent, name, is_dir)

    def ignored_entry(self, directory: str, name: str, is_dir: bool) -> bool:
        """Whether git ignores entry `name` of `directory` (an absolute, normalised path)."""
        repo_root = self._repo_root(directory)
        if repo_root is None:
            return False
        explicit = self._explicit_names.get(directory)
        if explicit is not None and name in explicit:
            return False
        # Git never looks inside an ignored directory, so nothing under it can come back.
        if directory != repo_root and self._directory_ignored(directory, repo_root):
            return True
        return self._matches(directory, name, is_dir, repo_root)

    def _directory_ignored(self, directory: str, repo_root: str) -> bool:
        verdict = self._directory_verdicts.get(directory)
        if verdict is not None:
            return verdict
        chain: list[str] = []  # from `directory` up to the first folder with a verdict
        folder = directory
        while folder != repo_root and folder not in self._directory_verdicts:
            chain.append(folder)
            folder = os.path.dirname(folder)
        verdict = self._directory_verdicts.get(folder, False)
        for folder in reversed(chain):
            if folder in self._explicit_roots:
                verdict = False
            elif not verdict:
                parent, name = os.path.split(folder)
                verdict = self._matches(parent, name, True, repo_root)
            self._directory_verdicts[folder] = verdict
        return verdict

    def _matches(self, directory: str, name: str, is_dir: bool, repo_root: str) -> bool:
        verdict = False
        # Within a file the last matching pattern wins; a deeper file overrides a shallower one.
        for patterns, prefix in self._layers_of(directory, repo_root):
            relative = prefix + name
            for pattern in patterns:
                if pattern.directory_only and not is_dir:
                    continue
                if pattern.matches_entry(relative, name):
                    verdict = not pattern.negated
        return verdict


def _glob_matches(relative: str, pattern: str) -> bool:
    if pattern.startswith("./"):
        pattern = pattern[2:]
    if fnmatch.fnmatch(relative, pattern) or fnmatch.fnmatch(relative, pattern.rstrip("/") + "/*"):
        return True
    return "/" not in pattern and any(fnmatch.fnmatch(part, pattern) for part in relative.split("/"))


def relative_to_root(path: Path | str, root: str | None) -> str | None:
    """The path relative to the settings file's directory, `/`-separated; None when outside it."""
    if root is None:
        return None
    relative = os.path.relpath(os.path.abspath(path), root)
    if relative == ".." or relative.startswith(".." + os.sep):
        return None
    return relative.replace(os.sep, "/")


class IgnoreFilter:
    """What discovery skips beyond its built-in list under the paths the user named: folders
    with settings of their own (linted in a run of their own), the settings' `exclude` globs
    read relative to the settings file, and what git ignores.

    Callable as `ignored(path, is_dir)`; the walk asks `ignored_entry(directory, name, is_dir)`
    with the directory's absolute, normalised path, which costs no path arithmetic per entry."""

    def __init__(self, settings: Settings, matcher: GitignoreMatcher | None) -> None:
        self._matcher = matcher
        self._root = settings.root
        self._root_excludes = settings.exclude if settings.root is not None else []
        self._skipped = settings.skip_folders
        self._relative_prefixes: dict[str, str | None] = {}

    def __call__(self, path: Path | str, is_dir: bool) -> bool:
        absolute = os.path.abspath(path)
        directory, name = os.path.split(absolute)
        if not name:
            return False
        return self.ignored_entry(directory, name, is_dir)

    def _relative_prefix(self, directory: str) -> str | None:
        """`directory` relative to the settings file's folder, as a prefix for entry names."""
        prefix = self._relative_prefixes.get(directory, False)
        if prefix is False:
            relative = relative_to_root(directory, self._root)
            prefix = None if relative is None else "" if relative == "." else relative + "/"
            self._relative_prefixes[directory] = prefix
        return prefix  # type: ignore[return-value]

    def note_listing(self, directory: str, entries: frozenset[str]) -> None:
        if self._matcher is not None:
            self._matcher.note_listing(directory, entries)

    def ignored_entry(self, directory: str, name: str, is_dir: bool) -> bool:
        if is_dir and self._skipped and os.path.join(directory, name) in self._skipped:
            return True
        if self._root_excludes:
            prefix = self._relative_prefix(directory)
            # An entry outside the settings folder is matched by none, but the folder itself is ".".
            relative = prefix + name if prefix is not None else "." if os.path.join(directory, name) == self._root else None
            if relative is not None and any(_glob_matches(relative, pattern) for pattern in self._root_excludes):
                return True
        return self._matcher is not None and self._matcher.ignored_entry(directory, name, is_dir)


def discovery_ignore_filter(settings: Settings, roots: list[Path] | None = None) -> IgnoreFilter | None:
    """The `ignore_filter` discovery calls for every directory and file it walks into under
    `roots`, the paths the user named; None when nothing is to be skipped."""
    explicit = frozenset(os.path.abspath(root) for root in roots or [] if os.path.isdir(root))
    matcher = GitignoreMatcher(explicit) if settings.respect_gitignore else None
    if matcher is None and not (settings.exclude if settings.root is not None else []) and not settings.skip_folders:
        return None
    return IgnoreFilter(settings, matcher)
