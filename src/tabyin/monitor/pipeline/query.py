"""Watch queries: a small Boolean query language and a matcher that runs many queries in one pass.

Syntax (the same in Persian and English; the staff page shows it):

* ``تامین اجتماعی`` – words side by side must all occur (AND); ``AND`` and ``&`` may be written.
* ``"حق بیمه"`` or ``«حق بیمه»`` – a phrase: the words in this order, written with a space, a ZWNJ
  or nothing between them (``حق‌بیمه``, ``حقبیمه``).
* ``OR``, ``|`` or ``یا`` – either side. Quote «یا» to search for the word itself.
* ``NOT x`` or ``-x`` – x must not occur.
* ``( … )`` – grouping; a group of spellings is an OR group: ``(«صندوق بازنشستگی» | صندوق‌بازنشستگی)``.
* ``بازنشسته*`` – a trailing star matches any word that starts so (بازنشستگان does not: different stem).
* Precedence: NOT, then AND, then OR. The word ``و`` is *not* an operator: it is part of names
  (سیستان و بلوچستان), and phrases are how several words are kept together.

Matching folds text and query as :func:`tabyin.core.persian_text.search_key` does, so hamza/madda
(تأمین/تامین), Arabic ي/ك, Persian/ASCII digits, and a ZWNJ, space or nothing between the words of
a phrase do not matter (the matcher adds every joining of a phrase's Persian words to its
automaton). A term matches whole words: it must start and end at a word boundary (space,
punctuation, ZWNJ or the text edge), so «قم» does not match inside «رقم», and «مستمری» matches
«مستمری‌ها» (ZWNJ) but not «مستمریها».

A query must be false when none of its words occur (``NOT x`` alone or ``a | -b`` are refused): the
matcher relies on that to evaluate only the queries whose words it found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

import ahocorasick  # ships no type stubs (ignored in pyproject)
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tabyin.core.persian_text import digits_to_persian, normalize

__all__ = ["And", "Matcher", "Node", "Not", "Or", "QuerySyntaxError", "Term", "match_key", "parse", "terms"]

MAX_LENGTH = 2000


class QuerySyntaxError(ValueError):
    """A query that does not parse: ``message`` (translated) and ``position`` (0-based character)."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(message)
        self.message = message
        self.position = position

    def __str__(self) -> str:
        position = str(self.position + 1)
        if (get_language() or "fa").startswith("fa"):
            position = digits_to_persian(position)
        return _("%(message)s (at character %(position)s)") % {"message": self.message, "position": position}


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase; ``key`` is its words' match keys joined by one space."""

    text: str
    key: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Not | And | Or

# The folds search_key makes on top of normalize (hamza/madda, teh marbuta, ezafe heh), done with
# str.replace: a per-character translate table made the whole matcher three times slower.
_FOLDS = (
    ("\u0622", "\u0627"),
    ("\u0623", "\u0627"),
    ("\u0625", "\u0627"),
    ("\u0671", "\u0627"),
    ("\u0624", "\u0648"),
    ("\u0626", "\u06cc"),
    ("\u0621", ""),
    ("\u0629", "\u0647"),
    ("\u06c0", "\u0647"),
)
_WORDS = re.compile(r"[^\W_]+")
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")
MAX_PHRASE_WORDS = 8


# Ingestion asks for the key of one text three times in a row (matcher, classifier, rumor cues).
@lru_cache(maxsize=256)
def match_key(text: str) -> str:
    """The text as the matcher reads it: :func:`search_key`'s folds, but words kept apart by one
    space (a ZWNJ, hyphen or underscore becomes a space) so that word boundaries can be checked."""
    text = normalize(text.replace("-", " ").replace("_", " ")).casefold()
    for old, new in _FOLDS:
        if old in text:
            text = text.replace(old, new)
    return text.replace("\u200c", " ") if "\u200c" in text else text


def _spellings(words: list[str]) -> list[str]:
    """Every way to write the words: between two Persian words a space, a ZWNJ or nothing (search_key
    treats them alike); between Latin words or digits a space only, as search_key does."""
    found = [words[0]]
    for before, word in pairwise(words):
        joints = ("", " ") if _ARABIC.match(before[-1]) or _ARABIC.match(word[0]) else (" ",)
        found = [f"{head}{joint}{word}" for head in found for joint in joints]
    return found


# Public for highlighting (pipeline/relevance.py), which must find a phrase the way the matcher does.
spellings = _spellings


def term(text: str, *, prefix: bool = False) -> Term:
    words = _WORDS.findall(match_key(text))
    return Term(text=normalize(text), key=" ".join(words), prefix=prefix)


# --- parsing -------------------------------------------------------------------------------------

_WORD_OPERATORS = {"AND": "and", "OR": "or", "NOT": "not", "یا": "or"}
_CLOSING = {'"': '"', "«": "»", "“": "”"}
_SPECIAL = set("()|&") | set(_CLOSING)


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "term", "phrase", "and", "or", "not", "(", ")", "end"
    text: str
    position: int


def _tokens(expression: str) -> Iterator[_Token]:
    i, n = 0, len(expression)
    while i < n:
        char = expression[i]
        if char.isspace():
            i += 1
        elif char in _CLOSING:
            end = expression.find(_CLOSING[char], i + 1)
            if end < 0:
                raise QuerySyntaxError(_("The quotation mark is not closed."), i)
            yield _Token("phrase", expression[i + 1 : end], i)
            i = end + 1
        elif char in "()":
            yield _Token(char, char, i)
            i += 1
        elif char in "|&":
            yield _Token("or" if char == "|" else "and", char, i)
            i += 1
        elif char == "-" and i + 1 < n and not expression[i + 1].isspace():
            yield _Token("not", char, i)
            i += 1
        else:
            start = i
            while i < n and not expression[i].isspace() and expression[i] not in _SPECIAL:
                i += 1
            word = expression[start:i]
            yield _Token(_WORD_OPERATORS.get(word, "term"), word, start)
    yield _Token("end", "", n)


class _Parser:
    def __init__(self, expression: str) -> None:
        self.tokens = list(_tokens(expression))
        self.at = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse_or(self) -> Node:
        children = [self.parse_and()]
        while self.token.kind == "or":
            self.take()
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node:
        children = [self.parse_unary()]
        while self.token.kind not in ("or", ")", "end"):
            if self.token.kind == "and":
                self.take()
            children.append(self.parse_unary())
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self) -> Node:
        if self.token.kind == "not":
            self.take()
            return Not(self.parse_unary())
        return self.parse_primary()

    def parse_primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            node = self.parse_or()
            if self.token.kind != ")":
                raise QuerySyntaxError(_("The parenthesis is not closed."), token.position)
            self.take()
            return node
        if token.kind in ("term", "phrase"):
            prefix = token.kind == "term" and token.text.endswith("*")
            text = token.text[:-1] if prefix else token.text
            node = term(text, prefix=prefix)
            if not node.key:
                raise QuerySyntaxError(_("This has no letters or digits to search for."), token.position)
            if node.key.count(" ") >= MAX_PHRASE_WORDS:
                raise QuerySyntaxError(
                    _("A phrase may have at most %(n)d words.") % {"n": MAX_PHRASE_WORDS}, token.position
                )
            return node
        if token.kind == "end":
            raise QuerySyntaxError(_("A word is missing at the end of the query."), token.position)
        if token.kind == ")":
            raise QuerySyntaxError(_("This parenthesis closes nothing."), token.position)
        raise QuerySyntaxError(
            _("A word is missing before “%(operator)s”.") % {"operator": token.text}, token.position
        )


def parse(expression: str) -> Node:
    """Parse a query; :class:`QuerySyntaxError` says what is wrong and where."""
    if not expression.strip():
        raise QuerySyntaxError(_("The query is empty."), 0)
    if len(expression) > MAX_LENGTH:
        raise QuerySyntaxError(_("The query is too long."), MAX_LENGTH)
    parser = _Parser(expression)
    node = parser.parse_or()
    if parser.token.kind != "end":
        raise QuerySyntaxError(_("This parenthesis closes nothing."), parser.token.position)
    if evaluate(node, frozenset()):
        raise QuerySyntaxError(
            _("The query would match texts that contain none of its words; add a word that is not negated."),
            0,
        )
    return node


def terms(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Not):
        yield from terms(node.child)
    else:
        for child in node.children:
            yield from terms(child)


def evaluate(node: Node, found: frozenset[Term] | set[Term]) -> bool:
    if isinstance(node, Term):
        return node in found
    if isinstance(node, Not):
        return not evaluate(node.child, found)
    if isinstance(node, And):
        return all(evaluate(child, found) for child in node.children)
    return any(evaluate(child, found) for child in node.children)


# --- matching ------------------------------------------------------------------------------------


class Matcher:
    """Many queries at once: one Aho-Corasick pass finds every term, then only the queries with a
    hit are evaluated. Build it once per set of queries (``queries.services.matcher_current``)."""

    def __init__(self, queries: Sequence[tuple[int, str]]) -> None:
        self.trees: dict[int, Node] = {}
        self.errors: dict[int, QuerySyntaxError] = {}
        by_key: dict[str, list[tuple[Term, int]]] = {}
        for query_id, expression in queries:
            try:
                tree = parse(expression)
            except QuerySyntaxError as error:
                # A broken row must not stop the others: it matches nothing and the page shows why.
                self.errors[query_id] = error
                continue
            self.trees[query_id] = tree
            for found in set(terms(tree)):
                by_key.setdefault(found.key, []).append((found, query_id))
        self._automaton = ahocorasick.Automaton()
        for key, users in by_key.items():
            for spelling in _spellings(key.split(" ")):
                self._automaton.add_word(spelling, (len(spelling), tuple(users)))
        self._empty = not by_key
        if not self._empty:
            self._automaton.make_automaton()

    def __len__(self) -> int:
        return len(self.trees)

    def match(self, text: str) -> list[int]:
        """Ids of the queries the text matches, in ascending order."""
        if self._empty:
            return []
        key = match_key(text)
        found: dict[int, set[Term]] = {}
        for end, (length, users) in self._automaton.iter(key):
            start = end + 1 - length
            if start and key[start - 1].isalnum():
                continue
            whole = end + 1 == len(key) or not key[end + 1].isalnum()
            for hit, query_id in users:
                if whole or hit.prefix:
                    found.setdefault(query_id, set()).add(hit)
        if not found:
            return []
        return sorted(q for q, seen in found.items() if evaluate(self.trees[q], seen))

    def match_many(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.match(text) for text in texts]
