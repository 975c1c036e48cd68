"""A small Turtle writer for the JSON-LD graphs we build ourselves (no RDF library needed).

It understands exactly the compact JSON-LD that ``dcat`` produces: a top-level ``@context`` of
prefixes and a ``@graph`` of nodes; keys are prefixed names; values are strings, booleans,
integers, ``{"@id"}`` references, ``{"@value", "@language" | "@type"}`` literals, nested nodes
(with an ``@id``: written as their own block and referenced; without: a ``[ … ]`` blank node)
and lists of those (repeated objects). Anything else is a programming error and raises.

Escaping follows the Turtle grammar (W3C REC 2014): string literals escape backslash, quote and
control characters (ECHAR/UCHAR); IRIs percent-encode the characters IRIREF forbids.
"""

from __future__ import annotations

import re
from collections import deque
from typing import Any, Final
from urllib.parse import quote

_PREFIXED: Final = re.compile(r"[A-Za-z][A-Za-z0-9_-]*:[A-Za-z_][A-Za-z0-9_.-]*(?<!\.)")
_LANGUAGE: Final = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")
_ECHAR: Final = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# Characters IRIREF does not allow unescaped: controls, space and <>"{}|^`\
_IRI_FORBIDDEN: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def literal(text: str) -> str:
    out = []
    for char in text:
        if char in _ECHAR:
            out.append(_ECHAR[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def iri(value: str) -> str:
    return "<" + _IRI_FORBIDDEN.sub(lambda m: quote(m.group(), safe=""), value) + ">"


def _name_or_iri(value: str, prefixes: dict[str, str]) -> str:
    prefix = value.partition(":")[0]
    if prefix in prefixes and _PREFIXED.fullmatch(value):
        return value
    return iri(value)


class _Writer:
    def __init__(self, prefixes: dict[str, str]) -> None:
        self.prefixes = prefixes
        self.pending: deque[dict[str, Any]] = deque()
        self.seen: set[str] = set()

    def term(self, value: Any, indent: str) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int):
            return str(value)
        if isinstance(value, str):
            return literal(value)
        if not isinstance(value, dict):
            raise TypeError(f"cannot write {type(value).__name__} as Turtle")
        if "@value" in value:
            return self.typed(value)
        if "@id" in value:
            if len(value) > 1:
                self.pending.append(value)  # described in a block of its own
            return _name_or_iri(value["@id"], self.prefixes)
        return "[\n" + self.properties(value, indent + "    ") + f"\n{indent}]"

    def typed(self, value: dict[str, Any]) -> str:
        text = literal(str(value["@value"]))
        if "@language" in value:
            if not _LANGUAGE.fullmatch(value["@language"]):
                raise ValueError(f"bad language tag {value['@language']!r}")
            return f"{text}@{value['@language']}"
        if "@type" in value:
            return f"{text}^^{_name_or_iri(value['@type'], self.prefixes)}"
        return text

    def properties(self, node: dict[str, Any], indent: str) -> str:
        lines = []
        for key, value in node.items():
            if key == "@id":
                continue
            values = value if isinstance(value, list) else [value]
            if not values:
                continue
            if key == "@type":
                objects = [_name_or_iri(v, self.prefixes) for v in values]
                lines.append(f"{indent}a {' , '.join(objects)}")
                continue
            if not _PREFIXED.fullmatch(key):
                raise ValueError(f"predicate {key!r} is not a prefixed name")
            objects = [self.term(v, indent) for v in values]
            lines.append(f"{indent}{key} {' , '.join(objects)}")
        return " ;\n".join(lines)

    def block(self, node: dict[str, Any]) -> str:
        return f"{_name_or_iri(node['@id'], self.prefixes)}\n{self.properties(node, '    ')} .\n"


def to_turtle(document: dict[str, Any]) -> str:
    prefixes: dict[str, str] = document["@context"]
    writer = _Writer(prefixes)
    parts = [f"@prefix {name}: {iri(base)} ." for name, base in prefixes.items()]
    parts.append("")
    writer.pending.extend(document["@graph"])
    while writer.pending:
        node = writer.pending.popleft()
        if node["@id"] in writer.seen:
            continue
        writer.seen.add(node["@id"])
        parts.append(writer.block(node))
    return "\n".join(parts)
