"""Monograph files: YAML front matter plus the three sections of the common frame.

YAML is read with a safe loader that also refuses anchors and aliases (the
"billion laughs" alias bomb), oversized documents and absurd nesting, so that a
hostile file ends in a one-line French problem instead of eating memory. A key
written twice in one mapping (``titre:`` on line 3 and again on line 9) is refused
with both lines, rather than the first value silently dropped; a text holding a
control character (``"\\v"`` in a quoted string) is reported at its field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mesra.corpus.contract import MONOGRAPH_SECTIONS
from mesra.corpus.tables import control_character, read_text
from mesra.errors import Problem

__all__ = ["RawMonograph", "read_monograph", "safe_yaml", "YamlRefused", "MAX_FRONT_MATTER"]

MAX_FRONT_MATTER = 256 * 1024
MAX_DEPTH = 20


class YamlRefused(ValueError):
    """YAML that is valid but refused (aliases, depth, size); message in French."""

    def __init__(self, message: str, line: int = 1):
        super().__init__(message)
        self.line = line


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases and with a nesting limit."""

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlRefused(
                "les ancres et alias YAML (&… / *…) ne sont pas acceptés : écrivez chaque valeur en entier",
                event.start_mark.line + 1,
            )
        depth = getattr(self, "_mesra_depth", 0)
        if depth > MAX_DEPTH:
            event = self.peek_event()
            raise YamlRefused(f"imbrication trop profonde (plus de {MAX_DEPTH} niveaux)", event.start_mark.line + 1)
        self._mesra_depth = depth + 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._mesra_depth = depth


def _duplicate_keys(node, offset: int, path: str = "") -> None:
    """Raise :class:`YamlRefused` at the first key written twice in one mapping of ``node``."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            name = f"{path}.{key}" if path else key
            if key in seen:
                raise YamlRefused(
                    f"champ « {name} » écrit deux fois (lignes {seen[key] + offset} et {line + offset}) : "
                    "gardez une seule valeur (YAML ne garderait que la dernière)",
                    line,
                )
            seen[key] = line
            _duplicate_keys(value_node, offset, name)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _duplicate_keys(item, offset, path)


def safe_yaml(text: str, line_offset: int = 0) -> tuple[object, dict[str, int]]:
    """Parse one YAML document safely; return the data and the line of each key.

    Keys of nested mappings are reported as ``parent.child``. Raises
    :class:`YamlRefused` (its ``line`` counted in ``text``; ``line_offset`` is added to
    the lines its message names) or :class:`yaml.YAMLError`.
    """
    if len(text) > MAX_FRONT_MATTER:
        raise YamlRefused(f"en-tête YAML trop long (plus de {MAX_FRONT_MATTER // 1024} Kio)")
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        _duplicate_keys(node, line_offset)
        lines: dict[str, int] = {}
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = str(key_node.value)
                lines[key] = key_node.start_mark.line + 1
                if isinstance(value_node, yaml.MappingNode):
                    for k2, _ in value_node.value:
                        lines[f"{key}.{k2.value}"] = k2.start_mark.line + 1
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    return data, lines


@dataclass
class RawMonograph:
    label: str
    path: Path
    meta: dict = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)
    sections: dict[str, str] = field(default_factory=dict)
    section_lines: dict[str, int] = field(default_factory=dict)
    body_line: int = 1


_SECTION = re.compile(r"^##\s+(.+?)\s*#*\s*$")


def _split_sections(body: str, first_line: int) -> tuple[dict[str, str], dict[str, int]]:
    sections: dict[str, list[str]] = {}
    where: dict[str, int] = {}
    current = None
    for offset, line in enumerate(body.splitlines()):
        m = _SECTION.match(line)
        if m:
            current = m.group(1).strip()
            sections.setdefault(current, [])
            where.setdefault(current, first_line + offset)
        elif current is not None:
            sections[current].append(line)
    return {k: "\n".join(v).strip() for k, v in sections.items()}, where


def read_monograph(path: Path, label: str, problems: list[Problem]) -> RawMonograph | None:
    """Read one monograph file; append problems, None when it cannot be read."""
    text = read_text(path, label, problems, max_bytes=16 * 1024 * 1024)
    if text is None:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.append(
            Problem(label, 1, "en-tête", "le fichier doit commencer par un en-tête YAML entre deux lignes « --- »")
        )
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() in ("---", "..."))
    except StopIteration:
        problems.append(
            Problem(label, 1, "en-tête", "en-tête YAML non fermé : ajoutez une ligne « --- » après les champs")
        )
        return None
    front = "\n".join(lines[1:end])
    try:
        meta, key_lines = safe_yaml(front, line_offset=1)
    except YamlRefused as exc:
        problems.append(Problem(label, exc.line + 1, "en-tête", str(exc)))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + 2) if mark is not None else 1
        what = getattr(exc, "problem", None) or "syntaxe invalide"
        problems.append(Problem(label, line, "en-tête", f"YAML mal formé ({what})"))
        return None
    except RecursionError:
        problems.append(Problem(label, 2, "en-tête", "YAML trop profondément imbriqué"))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(label, 2, "en-tête", "l'en-tête YAML doit être une liste de champs « nom: valeur »"))
        return None
    body = "\n".join(lines[end + 1 :])
    sections, where = _split_sections(body, end + 2)
    mono = RawMonograph(label, path, meta, {k: v + 1 for k, v in key_lines.items()}, sections, where, end + 2)
    _control_problems(mono, problems)
    return mono


def _texts(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (*_texts(k), *_texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _control_problems(mono: RawMonograph, problems: list[Problem]) -> None:
    """A problem for each front-matter field whose text holds a control character."""
    for key, value in mono.meta.items():
        char = next(filter(None, map(control_character, _texts(value))), None)
        if char:
            problems.append(
                Problem(
                    mono.label,
                    mono.lines.get(str(key), 2),
                    str(key),
                    f"caractère de contrôle invisible ({char}) : supprimez-le ; aucun export ne peut le contenir",
                )
            )


def missing_sections(mono: RawMonograph) -> list[str]:
    """The common-frame sections absent from the body."""
    return [s for s in MONOGRAPH_SECTIONS if s not in mono.sections]
