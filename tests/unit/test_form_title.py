"""The form's title line fits its width: the version goes first, then the connector, then
the end of the name; the connection id always stays (at 80 columns it ended "(id 13) ·")."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.connections import Connection, Connector
from tui.screens.form_steps import form_title

HTTP = Connector(id="actility-http-iot", version="3.0.2")


def test_an_edit_title_at_80_columns_drops_the_version_not_a_dangling_dot():
    connection = Connection(id="13", connector_id=HTTP.id, name="Lyon uplinks to the data lake")
    full = form_title("edit", connection, HTTP)
    assert full == (
        "Edit connection “Lyon uplinks to the data lake” (id 13) · actility-http-iot 3.0.2"
    )
    fitted = form_title("edit", connection, HTTP, 78)
    assert fitted == "Edit connection “Lyon uplinks to the data lake” (id 13) · actility-http-iot"
    assert form_title("edit", connection, HTTP, 60) == (
        "Edit connection “Lyon uplinks to the data lake” (id 13)"
    )
    short = form_title("edit", connection, HTTP, 40)
    assert short == "Edit connection “Lyon uplinks…” (id 13)" and cell_len(short) <= 40


@given(
    name=st.text(min_size=0, max_size=90),
    ident=st.text("0123456789abcdef-", min_size=1, max_size=36),
    width=st.integers(min_value=1, max_value=200),
    mode=st.sampled_from(["create", "edit", "clone"]),
)
def test_any_title_fits_and_never_ends_in_a_separator(name, ident, width, mode):
    connection = Connection(id=ident, connector_id=HTTP.id, name=name)
    title = form_title(mode, connection, HTTP, width)
    assert cell_len(title) <= width
    assert not title.rstrip().endswith("·")
    head = {"edit": "Edit connection", "clone": "Clone connection"}.get(mode)
    if head and cell_len(f"{head} “xyz…” (id {ident})") <= width:
        assert f"(id {ident})" in title  # the id names the connection for sure
