"""Keys typed ahead (a fast typist, keystrokes pasted by tmux, a laggy SSH link delivering a
burst): every key lands in the field the keys before it moved to, as if typed slowly.

The keys are posted to the app all at once, without waiting between them, which is what a
burst looks like to Textual: they sit in the app's queue while the form handles the
first ones. Before the fix, "Authorization<Tab>Bearer s3cr3t" on a new header row gave a
header named ``zationBearer s3cr3t``: a secret in the clear, in the wrong field.
"""

from __future__ import annotations

import random
import string

from textual import events
from textual.widgets import Input

from tests.support.form_screens import FormHost, SchemaClient, control, make_screen, settle
from tests.ui.test_form_screens import pick_connector

NAMED_KEYS = {
    "\t": "tab",
    "\r": "enter",
    " ": "space",
    "\x1b[Z": "shift+tab",
    "\x1b[A": "up",
    "\x1b[B": "down",
    "\x1b": "escape",
}
DOWN, UP, ESC = "\x1b[B", "\x1b[A", "\x1b"


def burst(app, *chunks: str) -> None:
    """Post every key of ``chunks`` at once: characters, and ``\\t`` (tab), ``\\r`` (enter),
    ``\\x1b[Z`` (shift+tab) given as chunks of their own or inside text; :data:`DOWN`,
    :data:`UP` and :data:`ESC` as chunks of their own."""
    for chunk in chunks:
        if chunk in NAMED_KEYS:
            key = NAMED_KEYS[chunk]
            app.post_message(events.Key(key, " " if key == "space" else None))
            continue
        for ch in chunk:
            key = NAMED_KEYS.get(ch, ch)
            app.post_message(events.Key(key, None if ch in "\t\r" else ch))


def typed_values(screen) -> dict[str, str]:
    return {i.id: i.value for i in screen.query(Input) if i.value and i.id}


async def test_a_header_typed_in_one_burst_lands_name_then_masked_value(
    sim_client, sim_clock, tmp_path
):
    """Enter on "+ add an entry", the header name, Tab, the value: all in one burst."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        add = control(screen, "headers", "-add")
        screen.set_focus(add)
        before = typed_values(screen)
        burst(pilot.app, "\r", "Authorization", "\t", "Bearer s3cr3t")
        await settle(pilot, screen)
        headers = screen.form_tree.find("headers")
        assert [(r.key, r.value.text) for r in headers.rows] == [("Authorization", "Bearer s3cr3t")]
        value = headers.rows[0].value
        value_input = screen.query_one(f"#f-{value.uid}", Input)
        assert value.secret and value_input.password  # typed masked, shown masked
        assert screen.focused is value_input
        # nothing of the burst went anywhere else
        now = typed_values(screen)
        assert {k: v for k, v in now.items() if k not in before} == {
            f"k-{value.uid}": "Authorization",
            f"f-{value.uid}": "Bearer s3cr3t",
        }
        assert all(now[k] == v for k, v in before.items())


async def test_enter_on_remove_then_typing_goes_to_the_next_entry(sim_client, sim_clock, tmp_path):
    """✕ on the first of two headers, then a new name typed at once: it lands in the header
    that took the removed one's place."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        headers = screen.form_tree.find("headers")
        screen.set_focus(control(screen, "headers", "-add"))
        burst(pilot.app, "\r", "X-One", "\t", "1")
        await settle(pilot, screen)
        screen.set_focus(control(screen, "headers", "-add"))
        burst(pilot.app, "\r", "X-Two", "\t", "2")
        await settle(pilot, screen)
        first = headers.rows[0].value
        screen.set_focus(screen.query_one(f"#b-{first.uid}-rm"))
        burst(pilot.app, "\r", "-b")
        await settle(pilot, screen)
        assert [(r.key, r.value.text) for r in headers.rows] == [("X-Two-b", "2")]


async def test_an_item_added_with_enter_takes_the_keys_typed_after(sim_clock, tmp_path):
    schema = {
        "type": "object",
        "properties": {"topics": {"type": "array", "items": {"type": "string"}}},
    }
    screen = make_screen(SchemaClient({"list": schema}), tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await screen._choose("list")
        await settle(pilot, screen)
        screen.set_focus(control(screen, "topics", "-add"))
        burst(pilot.app, "\r", "up/{DevEUI}", "\r")
        await settle(pilot, screen)
        topics = screen.form_tree.find("topics")
        assert [item.text for item in topics.items] == ["up/{DevEUI}"]


async def test_generated_texts_tabbed_across_fields_each_land_in_their_own(sim_clock, tmp_path):
    """Texts made up by a seeded generator (spaces, punctuation, capitals), typed with Tab and
    shift+Tab between them in one burst, over a schema of plain text fields."""
    rng = random.Random(20261201)
    alphabet = string.ascii_letters + string.digits + " -_./:{}@"
    count = 6
    schema = {
        "type": "object",
        "properties": {f"f{i}": {"type": "string", "title": f"Field {i}"} for i in range(count)},
    }
    for run in range(3):
        texts = [
            "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 14))) for _ in range(count)
        ]
        # drafts of their own: the run before must not be resumed
        drafts_dir = tmp_path / f"run{run}"
        screen = make_screen(SchemaClient({"plain": schema}), drafts_dir, sim_clock)
        async with FormHost(screen).run_test(size=(80, 24)) as pilot:
            await settle(pilot, screen)
            await screen._choose("plain")
            await settle(pilot, screen)
            screen.set_focus(control(screen, "f0"))
            chunks: list[str] = []
            for i, text in enumerate(texts[:-1]):
                chunks += [text, "\t"] if i != 2 else [text, "\t", "\t", "\x1b[Z"]
            chunks.append(texts[-1])
            # back to the first field with shift+tab, and on its end a last word
            chunks += ["\x1b[Z"] * (count - 1) + ["!"]
            burst(pilot.app, *chunks)
            await settle(pilot, screen)
            got = [screen.form_tree.find(f"f{i}").text for i in range(count)]
            assert got == [texts[0] + "!", *texts[1:]]
