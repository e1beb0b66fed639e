"""Cheap tests on a module's text, for work that only a module naming something can need.

Each may say yes too often, never too rarely. Each search starts at a literal so it
skips ahead quickly, and scans any stretch of text a bounded number of times
(possessive quantifiers, no backtracking), so hostile input cannot make them slow.
"""

from __future__ import annotations

import re
import unicodedata

# Every graph scope grows from a `tf.function` root (analyze/scopes.py), and naming
# tf.function takes an import that names tensorflow plus either an attribute `.function`
# (`tf.function`, `tf.compat.v2.function`, also across a line break, or after a comment
# inside brackets) or `function` imported by name (`from tensorflow import function`).
_ATTRIBUTE_FUNCTION = re.compile(r"\.[\s\\]*+function\b")
_FUNCTION_TOKEN = re.compile(r"function\b")
_BLANK = frozenset(" \t\f\v\\\r\n")
_FROM_TENSORFLOW_IMPORT = re.compile(
    r"from[\s\\]++tensorflow(?:[\s\\]*+\.[\s\\]*+\w++)*+[\s\\]++import\b"
    # The imported names: a bracketed list (comments allowed) or the rest of the line
    # with its continuations. Either way the match cannot fail once `import` is found.
    r"(?P<names>[ \t]*+\((?:[^)#]|#[^\r\n]*+)*+\)?|(?:[^\r\n\\]|\\(?:\r\n|[\s\S]))*+)"
)
_FUNCTION_WORD = re.compile(r"\bfunction\b")


def names_tf_function(text: str) -> bool:
    """False when no expression of the module can resolve to `tf.function`."""
    if not text.isascii():
        # The parser NFKC-normalises identifiers (`ｔf.ｆunction` is tf.function).
        text = unicodedata.normalize("NFKC", text)
    if "tensorflow" not in text or "function" not in text:
        return False
    if _ATTRIBUTE_FUNCTION.search(text) or after_a_comment(text, _FUNCTION_TOKEN):
        return True
    return any(_FUNCTION_WORD.search(match.group("names")) for match in _FROM_TENSORFLOW_IMPORT.finditer(text))


def after_a_comment(text: str, token: re.Pattern[str]) -> bool:
    """True when some `token` starts a line and the code line before it has a `#`:
    `(tf.  # why` / `function)` is an attribute too. Each stretch of blanks and each line
    is looked at for at most one token, so this stays linear."""
    for match in token.finditer(text):
        index, crossed = match.start() - 1, False
        while index >= 0 and text[index] in _BLANK:
            crossed = crossed or text[index] in "\r\n"
            index -= 1
        while crossed and index >= 0 and text[index] not in "\r\n":  # that code line
            if text[index] == "#":
                return True
            index -= 1
    return False
