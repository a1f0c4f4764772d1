"""Reading items one by one: the nesting guard agrees with a plain depth count on
generated values, whatever shortcut it takes for the common shallow case."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from tui.api.limits import Limits
from tui.api.listing import read_connection

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner,
                                                                max_size=3),
    max_leaves=30,
)


def depth(value: Any) -> int:
    """Containers on the deepest path (a scalar is 0): the definition, recursively."""
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


@given(configuration=st.dictionaries(st.text(max_size=3), JSON, max_size=4),
       limit=st.integers(3, 8))
def test_an_item_is_unreadable_exactly_when_it_nests_deeper_than_the_limit(
    configuration: dict[str, Any], limit: int
) -> None:
    item = {"id": "1", "connectorId": "x", "name": "n", "active": True,
            "configuration": configuration}
    connection = read_connection(item, 1, Limits(max_depth=limit))
    too_deep = depth(item) > limit
    assert (connection.state == "UNREADABLE") == too_deep, (depth(item), connection.problem)
