"""Key results: the one-line figures a notebook reports to the course runner.

A notebook calls ``key_result("held-out perplexity (5-gram)", 123.4, "per word")``;
the line it prints starts with :data:`PREFIX`, and ``aigc-course run`` collects
these lines into its timing report.
"""

from __future__ import annotations

from .validate import check_str

PREFIX = "[key result]"


def key_result(name: str, value: object, unit: str = "") -> str:
    """Print and return ``[key result] name: value unit`` (floats shown with 4 significant digits)."""
    check_str(name, "name", allow_empty=False)
    check_str(unit, "unit")
    shown = f"{value:.4g}" if isinstance(value, float) else str(value)
    line = f"{PREFIX} {name}: {shown}" + (f" {unit}" if unit else "")
    print(line)
    return line


def parse_key_results(text: str) -> list[str]:
    """The key-result lines found in ``text`` (e.g. a notebook's stdout), without the prefix."""
    check_str(text, "text")
    return [line[len(PREFIX):].strip() for line in text.splitlines() if line.startswith(PREFIX)]
