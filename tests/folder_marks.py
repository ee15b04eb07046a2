"""Marking every test of one folder (the browser tests, the classroom tests) and skipping them with a reason."""

from __future__ import annotations

from pathlib import Path

import pytest


def mark_folder(items: list[pytest.Item], folder: Path, marker: pytest.MarkDecorator, reason: str | None) -> None:
    """Give every collected test under ``folder`` the ``marker``; skip them with ``reason`` unless it is None."""
    for item in items:
        if folder not in Path(str(item.fspath)).resolve().parents:
            continue
        item.add_marker(marker)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))
