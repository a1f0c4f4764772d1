"""Keys typed ahead through a dropdown and straight after picking a connector land where the
keys before them moved the cursor, as if typed slowly (see test_form_screens_typeahead for
what a burst is). Before the fix a dropdown's menu took the focus only after the rest of the
burst had gone to the dropdown itself, and the keys after picking a connector were typed
into the connector filter, which was no longer shown.

Each case is run twice: keys posted all at once (:func:`burst`), and ``pilot.press(*keys)``
with no pause between the keys.
"""

from __future__ import annotations

import random

import pytest
from textual import events
from textual.widgets import Input

from tests.support.form_screens import FormHost, SchemaClient, control, make_screen, settle
from tests.ui.test_form_screens import pick_connector
from tests.ui.test_form_screens_typeahead import DOWN, ESC, NAMED_KEYS, UP, burst
from tui.widgets.form_fields.dropdown import Dropdown

WAYS = ["burst", "press"]


async def send(pilot, way: str, *chunks: str) -> None:
    """The keys of ``chunks`` in one go, the way the test is run."""
    if way == "burst":
        burst(pilot.app, *chunks)
        return
    keys: list[str] = []
    for chunk in chunks:
        if chunk in NAMED_KEYS:
            keys.append(NAMED_KEYS[chunk])
        else:
            keys += [NAMED_KEYS.get(ch, ch) for ch in chunk]
    await pilot.press(*keys)


@pytest.mark.parametrize("way", WAYS)
async def test_keys_after_enter_on_a_connector_go_to_its_settings(
    way, sim_client, sim_clock, tmp_path
):
    """The filter, Enter, the name, Tab, space (Active off): in one go, from step 1."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await send(pilot, way, "http-iot", "\r", "Lyon HTTP", "\t", " ")
        await settle(pilot, screen)
        assert screen.step == "settings"
        assert screen.connector.id == "actility-http-iot"
        assert screen.common.connection_name == "Lyon HTTP"
        assert screen.common.is_active is False  # the space toggled Active, the next field
        assert screen.query_one("#connector-filter", Input).value == "http-iot"


@pytest.mark.parametrize("way", WAYS)
async def test_arrows_in_the_filter_then_enter_pick_the_connector_they_moved_to(
    way, sim_client, sim_clock, tmp_path
):
    """Down twice then Enter and a name: the third connector of the list is opened (the
    arrows are applied before Enter reads the cursor), and the name lands in its form."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        picker_ids = [c.id for c in screen.query_one("ConnectorPicker").connectors]
        await send(pilot, way, DOWN, DOWN, "\r", "Third")
        await settle(pilot, screen)
        assert screen.connector.id == picker_ids[2]
        assert screen.common.connection_name == "Third"


async def test_pagedown_on_a_connector_then_keys_go_to_its_settings(
    sim_client, sim_clock, tmp_path
):
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        burst(pilot.app, "kafka")
        pilot.app.post_message(events.Key("pagedown", None))
        burst(pilot.app, "Broker one")
        await settle(pilot, screen)
        assert screen.connector.id == "actility-kafka-iot"
        assert screen.common.connection_name == "Broker one"


@pytest.mark.parametrize("way", WAYS)
async def test_a_variant_picked_in_one_burst_takes_the_fields_typed_after(
    way, sim_client, sim_clock, tmp_path
):
    """On Authentication ("(not set)"): Enter opens the menu, Down to Basic, Enter picks it,
    then Tab, the user name, Tab, the password; and the same on the HTTP proxy."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        tree = screen.form_tree
        screen.set_focus(control(screen, "authentication"))
        await send(pilot, way, "\r", DOWN, "\r", "\t", "ops", "\t", "pa55")
        await settle(pilot, screen)
        auth = tree.find("authentication")
        assert auth.variant_labels[auth.selected].lower().startswith("basic")
        assert tree.find("authentication.username").text == "ops"
        assert tree.find("authentication.password").text == "pa55"
        assert screen.focused is control(screen, "authentication.password")
        screen.set_focus(control(screen, "proxy"))
        await send(pilot, way, " ", DOWN, "\r", "\t", "proxy.example.com:3128")
        await settle(pilot, screen)
        assert tree.find("proxy").chosen
        assert tree.find("proxy.hostname").text == "proxy.example.com:3128"
        assert not control(screen, "proxy").expanded


@pytest.mark.parametrize("way", WAYS)
async def test_letters_typed_in_an_open_menu_choose_before_enter_reads_it(
    way, sim_clock, tmp_path
):
    """Enter, "ag" (type to search: AGGRESSIVE), Enter, Tab, text: the search is applied
    before Enter takes the highlighted option."""
    schema = {
        "type": "object",
        "properties": {
            "strategy": {"type": "string", "enum": ["CALM", "NORMAL", "AGGRESSIVE"]},
            "note": {"type": "string"},
        },
    }
    screen = make_screen(SchemaClient({"e": schema}), tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await settle(pilot, screen)
        await screen._choose("e")
        await settle(pilot, screen)
        screen.set_focus(control(screen, "strategy"))
        await send(pilot, way, "\r", "ag", "\r", "\t", "fast")
        await settle(pilot, screen)
        assert screen.form_tree.find("strategy").value == "AGGRESSIVE"
        assert screen.form_tree.find("note").text == "fast"


@pytest.mark.parametrize("way", WAYS)
async def test_escape_in_an_open_menu_closes_it_and_the_next_keys_move_on(
    way, sim_client, sim_clock, tmp_path
):
    """Esc in the menu closes it with nothing picked (the form stays open); Tab and text
    then go to the next field, and the cursor stays out of the closed menu."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        tree = screen.form_tree
        dropdown = control(screen, "proxy")
        screen.set_focus(dropdown)
        await send(pilot, way, "\r", DOWN, ESC, "\t", "https://example.com/up")
        await settle(pilot, screen)
        assert not tree.find("proxy").chosen
        assert not dropdown.expanded
        assert tree.find("destinationURL").text == "https://example.com/up"
        assert screen.focused is control(screen, "destinationURL")
        assert pilot.app.screen is screen  # esc closed the menu, not the form


async def test_generated_picks_each_land_and_the_text_after_them_too(sim_clock, tmp_path):
    """Seeded runs over a schema of dropdowns of generated sizes, each followed by a text
    field: for each, Enter, a random number of Downs (and an Up or two), Enter, Tab, a word,
    Tab, all in one burst. Each dropdown ends on the option the arrows reached and each word
    in the text field after it."""
    rng = random.Random(20261201)
    count = 4
    for run in range(3):
        sizes = [rng.randint(2, 7) for _ in range(count)]
        props: dict = {}
        for i, size in enumerate(sizes):
            props[f"c{i}"] = {"type": "string", "enum": [f"opt{i}-{k}" for k in range(size)]}
            props[f"t{i}"] = {"type": "string"}
        schema = {"type": "object", "properties": props}
        screen = make_screen(SchemaClient({"g": schema}), tmp_path / f"run{run}", sim_clock)
        async with FormHost(screen).run_test(size=(80, 24)) as pilot:
            await settle(pilot, screen)
            await screen._choose("g")
            await settle(pilot, screen)
            screen.set_focus(control(screen, "c0"))
            chunks: list[str] = []
            wanted: list[tuple[str, str]] = []
            for i, size in enumerate(sizes):
                # the menu starts on "(not set)", then the options: index 0 is the blank
                downs = rng.randint(1, size)
                ups = rng.randint(0, min(2, downs - 1))
                word = f"w{run}{i}" + rng.choice(["", "-x", " y"])
                chunks += ["\r", *[DOWN] * downs, *[UP] * ups, "\r", "\t", word, "\t"]
                wanted.append((f"opt{i}-{downs - ups - 1}", word))
            burst(pilot.app, *chunks)
            await settle(pilot, screen)
            tree = screen.form_tree
            got = [(tree.find(f"c{i}").value, tree.find(f"t{i}").text) for i in range(count)]
            assert got == wanted
            assert not any(d.expanded for d in screen.query(Dropdown))


async def test_a_repeat_picked_in_an_alarm_shows_its_interval_for_the_keys_after(
    sim_client, sim_clock, tmp_path
):
    """In a new alarm (weekly), on Repeats: Enter, Up five times ("does not repeat"), Enter,
    Tab in one burst: the Tab skips the interval and weekdays the pick hid, as typed slowly.
    Then back, Enter, Down three times (hourly), Enter, Tab, "5": hourly shows the "every N
    hour(s)" input again and the 5 is typed in it."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        await screen._go("alarms")
        await screen.alarms.editor.action_add_alarm()
        await settle(pilot, screen)
        card = screen.alarms.editor.cards[0]
        assert card.draft.frequency == "weekly"
        interval = card.query_one("#f-interval", Input)
        repeats = card.query_one("#f-freq", Dropdown)
        screen.set_focus(repeats)
        burst(pilot.app, "\r", *[UP] * 5, "\r", "\t")
        await settle(pilot, screen)
        assert card.draft.frequency == "none"
        landed = screen.focused
        screen.set_focus(repeats)
        screen.focus_next()
        assert landed is screen.focused and landed is not interval
        screen.set_focus(repeats)
        burst(pilot.app, "\r", DOWN, DOWN, DOWN, "\r", "\t", "5")
        await settle(pilot, screen)
        assert card.draft.frequency == "hourly"
        assert screen.focused is interval
        # the Tab selected the old interval (as it does typed slowly): the 5 replaced it
        assert interval.value == "5" and card.draft.interval == 5


@pytest.mark.parametrize("way", WAYS)
async def test_switches_toggled_in_one_burst_each_flip_and_the_text_after_lands(
    way, sim_client, sim_clock, tmp_path
):
    """From Create devices (on): space, Tab, space, Tab, Enter, Tab, "5m" in one go: each
    switch flips (the Switch's own binding ran only after the Tab behind it, on the next
    field, and the flip was lost), and 5m lands in Uplink time validity."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-aws-iot")
        tree = screen.form_tree
        screen.set_focus(control(screen, "createDevices"))
        await send(pilot, way, " ", "\t", " ", "\t", "\r", "\t", "5m")
        await settle(pilot, screen)
        paths = ("createDevices", "sendMetadata", "sendRawDecodedFormat")
        got = [tree.find(path).value for path in paths]
        assert got == [False, True, True]
        assert tree.find("uplinkTimeValidity").text == "5m"


async def test_weekday_toggles_and_the_end_choice_follow_a_burst(sim_client, sim_clock, tmp_path):
    """In a new weekly alarm: on Mo, space, Tab, space (Mo and Tu toggled); on the end
    choice, down, space (on date) and Tab, in one burst."""
    screen = make_screen(sim_client, tmp_path, sim_clock)
    async with FormHost(screen).run_test(size=(80, 24)) as pilot:
        await pick_connector(pilot, screen, "actility-http-iot")
        await screen._go("alarms")
        await screen.alarms.editor.action_add_alarm()
        await settle(pilot, screen)
        card = screen.alarms.editor.cards[0]
        days = set(card.draft.weekdays)
        screen.set_focus(card.query_one("#day-0"))
        burst(pilot.app, " ", "\t", " ")
        await settle(pilot, screen)
        assert card.draft.weekdays == days ^ {0, 1}
        screen.set_focus(card.query_one("#f-ends"))
        burst(pilot.app, DOWN, " ", "\t")
        await settle(pilot, screen)
        assert card.draft.ends == "until"
