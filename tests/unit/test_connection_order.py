"""The dashboard's order: moved row by row, it always equals a plain sort and filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.board import Row
from tui.connection_order import SORTS, ConnectionOrder, visible_ids

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STATES = ("OPENED", "CLOSED", "OPENING", "UNREACHABLE", "AUTHENTICATION_FAILED", "HIBERNATING")
# Few names and connectors, so ties are common and the id has to break them.
NAMES = ("alpha", "Alpha", "beta", "gamma", "", "δ-north")
CONNECTORS = ("actility-aws-iot", "actility-mqtt-iot", "acme-thing")


def row(ident: str, **fields: object) -> Row:
    values = {
        "name": "conn",
        "connector_id": CONNECTORS[0],
        "state": "OPENED",
        "active": True,
        "startup_time": T0,
        "alarms": None,
    }
    values.update(fields)
    return Row(ident, **values)  # type: ignore[arg-type]


def expected(rows: dict[str, Row], order: ConnectionOrder) -> list[str]:
    return visible_ids(
        rows,
        query=order.filter.text,
        faults_only=order.filter.faults_only,
        sort=order.sort,
        reverse=order.reverse,
    )


row_fields = st.fixed_dictionaries(
    {
        "name": st.sampled_from(NAMES),
        "connector_id": st.sampled_from(CONNECTORS),
        "state": st.sampled_from(STATES),
        "active": st.booleans(),
        "startup_time": st.none() | st.integers(-5, 5).map(lambda h: T0 + timedelta(hours=h)),
    }
)
# Numeric and textual ids mix, as on a real platform ("8", "10", "a7").
ident = st.integers(1, 120).map(str) | st.sampled_from(["a1", "a2", "b", "z9"])

pick = st.integers(0, 10**6)
"""A row chosen among those present (modulo their number)."""
operation = st.one_of(
    st.tuples(st.just("add"), st.lists(st.tuples(ident, row_fields), max_size=70)),
    st.tuples(st.just("change"), st.lists(st.tuples(pick, row_fields), max_size=70)),
    st.tuples(
        st.just("flags"), st.lists(st.tuples(pick, st.booleans(), st.booleans()), max_size=8)
    ),
    st.tuples(st.just("remove"), st.lists(pick, max_size=70)),
    st.tuples(st.just("sort"), st.sampled_from(SORTS), st.booleans()),
    st.tuples(st.just("filter"), st.text("alpbetOPENCLmq-1δ", max_size=4), st.booleans()),
    st.tuples(st.just("narrow"), st.sampled_from("alpheOPN1")),
    st.tuples(st.just("faults"), st.booleans()),
)


def _pick(rows: dict[str, Row], picks: list) -> list:
    ids = sorted(rows)
    return [(ids[n % len(ids)], *rest) for n, *rest in picks] if ids else []


@settings(max_examples=150, deadline=None)
@given(st.lists(operation, max_size=25))
def test_order_equals_a_plain_sort_and_filter_after_every_step(steps: list[tuple]) -> None:
    rows: dict[str, Row] = {}
    order = ConnectionOrder()
    order.reset(rows)
    for step in steps:
        kind = step[0]
        if kind == "add":
            added = [i for i, _ in step[1] if i not in rows]
            for i, fields in step[1]:
                if i not in rows:
                    rows[i] = row(i, **fields)
            order.update(rows, added=list(dict.fromkeys(added)))
        elif kind == "change":
            # The board replaces what a poll changed; the order only knows the ids.
            changed = _pick(rows, [(n, f) for n, f in step[1]])
            for i, fields in changed:
                rows[i] = row(i, **fields)
            order.update(rows, changed={i for i, _ in changed})
        elif kind == "flags":
            # Stuck and flapping are set on the row in place, as Board._flag does.
            flagged = _pick(rows, [(n, s, f) for n, s, f in step[1]])
            for i, stuck, flapping in flagged:
                rows[i].stuck, rows[i].flapping = stuck, flapping
            order.update(rows, changed={i for i, *_ in flagged})
        elif kind == "remove":
            gone = {i for (i,) in _pick(rows, [(n,) for n in step[1]])}
            for i in gone:
                del rows[i]
            order.update(rows, removed=gone)
        elif kind == "sort":
            order.set_sort(step[1], step[2])
        elif kind == "filter":
            order.set_filter(step[1], step[2])
        elif kind == "narrow":
            order.set_filter(order.filter.text + step[1])
        elif kind == "faults":
            order.set_filter(faults_only=step[1])
        assert order.visible == expected(rows, order), step


def test_a_row_that_changes_moves_to_its_new_place() -> None:
    rows = {str(i): row(str(i), name=f"n{i}") for i in range(1, 6)}
    order = ConnectionOrder("name")
    order.reset(rows)
    assert order.visible == ["1", "2", "3", "4", "5"]
    rows["2"] = row("2", name="z")
    order.update(rows, changed=["2"])
    assert order.visible == ["1", "3", "4", "5", "2"]
    order.set_sort("name", reverse=True)
    assert order.visible == ["2", "5", "4", "3", "1"]


def test_filter_narrows_then_widens_again() -> None:
    rows = {"1": row("1", name="paris"), "2": row("2", name="parma"), "3": row("3", name="oslo")}
    order = ConnectionOrder("name")
    order.reset(rows)
    order.set_filter("pa")
    assert order.visible == ["1", "2"]
    order.set_filter("par")
    order.set_filter("pari")
    assert order.visible == ["1"]
    order.set_filter("pa")  # shorter: the rows dropped by "pari" come back
    assert order.visible == ["1", "2"]
    order.set_filter("")
    assert order.visible == ["3", "1", "2"]


def test_faults_only_keeps_errors_stuck_and_flapping() -> None:
    rows = {"1": row("1"), "2": row("2", state="UNREACHABLE"), "3": row("3")}
    rows["3"].stuck = True
    order = ConnectionOrder("name")
    order.reset(rows)
    order.set_filter(faults_only=True)
    assert order.visible == ["2", "3"]


def test_unknown_sort_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown sort"):
        ConnectionOrder("colour")
    order = ConnectionOrder()
    with pytest.raises(ValueError, match="unknown sort"):
        order.set_sort("colour")
    assert order.sort == "state"


@pytest.mark.parametrize("sort", SORTS)
def test_rows_whose_key_stays_are_not_moved_nor_everything_sorted_again(sort, monkeypatch) -> None:
    """A poll's metrics name hundreds of rows changed (their figures) while few of them
    change place: a row whose sort key reads the same is left where it is, so such a poll
    neither re-sorts every row nor moves any; one whose key moved still moves."""
    rows = {str(i): row(str(i), name=NAMES[i % len(NAMES)]) for i in range(400)}
    order = ConnectionOrder(sort=sort)
    order.reset(rows)
    sorts: list[int] = []
    monkeypatch.setattr(order, "reset", lambda r: sorts.append(len(r)))
    order.update(rows, changed=list(rows))  # every row named, none of their keys moved
    assert sorts == []
    assert order.visible == expected(rows, order)
    rows["7"].name = "zzz"
    rows["7"].state = "CLOSED"
    rows["7"]._derive()
    order.update(rows, changed=list(rows))
    assert sorts == []
    assert order.visible == expected(rows, order)
