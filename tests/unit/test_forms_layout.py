"""The form engine stays a house a newcomer can find their way in: small files."""

from __future__ import annotations

from pathlib import Path

import pytest

FORMS = Path(__file__).resolve().parents[2] / "tui" / "forms"
MAX_LINES = 500


@pytest.mark.parametrize("path", sorted(FORMS.rglob("*.py")), ids=lambda p: p.name)
def test_no_forms_module_is_over_500_lines(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(FORMS.parent)} has {lines} lines"


def test_one_module_per_node_kind() -> None:
    names = {p.stem for p in (FORMS / "fields").glob("*.py")}
    expected = {"scalar", "object_field", "array", "map_field", "choice", "json_field"}
    assert expected | {"constraints", "base"} <= names
