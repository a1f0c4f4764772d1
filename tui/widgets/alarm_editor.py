"""The alarms step of the connection forms: a list of alarm cards with add, duplicate, remove.

Mount it with the connection's ``alarms`` JSON list (``[]`` for none), the clock the rest of the
app uses and the operator's zone::

    editor = AlarmListEditor(connection.get("alarms") or [], now=clock, local_tz=display_tz)

Read ``editor.alarms_json()`` when saving (untouched alarms come back exactly as given, unknown
keys kept) after checking ``editor.problems()``; ``editor.focus_first_problem()`` takes the
operator to the first one. ``AlarmListEditor.Changed`` is posted on every edit.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.widgets import Static

from ..alarms import AlarmDraft, AlarmProblem
from .alarm_card import AlarmCard

WIDE = 120
"""From this width the preview sits beside the fields instead of below them."""


class AlarmListEditor(VerticalScroll):
    """Edit a connection's low uplink-rate alarms (API reference §6) from the keyboard."""

    DEFAULT_CSS = """
    AlarmListEditor {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
        & > .alarms-help { color: $text-muted; height: auto; }
        & > #alarms-empty { height: auto; padding: 1 2; color: $text-muted; text-style: italic; }
        & > #alarms-empty.-hidden { display: none; }
        &.-wide AlarmCard > .alarm-body { layout: horizontal; }
        &.-wide AlarmCard .alarm-fields { width: 80; }
        &.-wide AlarmCard AlarmPreview { margin: 0 0 1 1; }
    }
    """

    BINDINGS = [
        Binding("ctrl+n", "add_alarm", "Add", id="alarms.add", tooltip="Add a new alarm"),
        Binding(
            "ctrl+t",
            "duplicate_alarm",
            "Duplicate",
            id="alarms.duplicate",
            tooltip="Copy the alarm being edited into a new one below it",
        ),
        Binding(
            "ctrl+r",
            "remove_alarm",
            "Remove",
            id="alarms.remove",
            tooltip="Remove the alarm being edited (asks first)",
        ),
    ]

    class Changed(Message):
        """The alarms were edited, added, duplicated or removed."""

        def __init__(self, editor: AlarmListEditor) -> None:
            super().__init__()
            self.editor = editor

        @property
        def control(self) -> AlarmListEditor:
            return self.editor

    class RemoveRequested(Message):
        """The operator asked to remove ``card``. The hosting screen asks for confirmation (a
        widget does not open screens) and calls :meth:`AlarmListEditor.remove_card` on yes."""

        def __init__(self, editor: AlarmListEditor, card: AlarmCard) -> None:
            super().__init__()
            self.editor = editor
            self.card = card

        @property
        def control(self) -> AlarmListEditor:
            return self.editor

        @property
        def title(self) -> str:
            return f"Remove alarm {self.card.number}?"

        @property
        def summary(self) -> str:
            return str(self.card.border_subtitle or "")

    def __init__(
        self,
        alarms: list[dict[str, Any]] | None,
        *,
        now: Callable[[], datetime],
        local_tz: tzinfo | None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._initial = copy.deepcopy(list(alarms or []))
        self.now = now
        self.local_tz = local_tz

    # --- public -------------------------------------------------------------------------------

    @property
    def cards(self) -> list[AlarmCard]:
        return list(self.query_children(AlarmCard))

    def alarms_json(self) -> list[dict[str, Any]]:
        """The alarms as ThingPark JSON, in order; untouched ones exactly as loaded."""
        return [card.alarm_json() for card in self.cards]

    def problems(self) -> list[tuple[int, AlarmProblem]]:
        """``(alarm index, problem)`` for every alarm, in plain sentences."""
        return [(i, p) for i, card in enumerate(self.cards) for p in card.problems()]

    def focus_first_problem(self) -> bool:
        """Focus the field of the first problem; False when there is none."""
        for card in self.cards:
            problems = card.problems()
            if problems:
                return card.focus_problem(problems[0].field)
        return False

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(
            "Alarms raise a “low uplink rate” event when traffic drops inside a window. "
            "ctrl+n add · ctrl+t duplicate · ctrl+r remove · tab moves between fields",
            classes="alarms-help",
        )
        for i, raw in enumerate(self._initial, 1):
            yield self._card(raw, i)
        yield Static("No alarms. Press ctrl+n to add one.", id="alarms-empty")

    def on_mount(self) -> None:
        self._sync_empty()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width >= WIDE, "-wide")

    def _card(self, raw: dict[str, Any] | None, number: int, **kw: Any) -> AlarmCard:
        return AlarmCard(raw, number=number, now=self.now, local_tz=self.local_tz, **kw)

    def _sync_empty(self) -> None:
        self.query_one("#alarms-empty").set_class(bool(self.cards), "-hidden")

    def _renumber(self) -> None:
        for i, card in enumerate(self.cards, 1):
            card.set_number(i)

    def _current(self) -> AlarmCard | None:
        """The card holding focus, else the only card."""
        focused = self.screen.focused
        node = focused
        while node is not None and node is not self:
            if isinstance(node, AlarmCard):
                return node
            node = node.parent
        cards = self.cards
        return cards[0] if len(cards) == 1 else None

    def _changed(self) -> None:
        self._sync_empty()
        self.post_message(self.Changed(self))

    # --- actions ------------------------------------------------------------------------------

    def new_draft(self) -> AlarmDraft:
        """A business-day alarm starting today in the operator's zone, ready to adjust."""
        local = self.local_tz or datetime.now().astimezone().tzinfo or UTC
        now = self.now().astimezone(local)
        zone = getattr(local, "key", None) or "UTC"  # a fixed offset has no IANA name
        return AlarmDraft(first_date=now.date(), timezone=zone, message="")

    async def _insert(self, card: AlarmCard, after: AlarmCard | None) -> None:
        if after is not None:
            await self.mount(card, after=after)
        else:
            await self.mount(card, before=self.query_one("#alarms-empty"))
        self._renumber()
        card.focus_first()
        # once the new card is laid out (its region is known only after a refresh), put its
        # top at the top of the view: the operator sees the card they are filling in, never
        # the first alarm or the middle of a card; no animation, so keys typed at once land
        # where they are seen
        self.call_after_refresh(self.scroll_to_widget, card, top=True, animate=False)
        self._changed()

    async def action_add_alarm(self) -> None:
        cards = self.cards
        card = self._card(None, len(cards) + 1, draft=self.new_draft())
        await self._insert(card, cards[-1] if cards else None)

    async def action_duplicate_alarm(self) -> None:
        source = self._current()
        if source is None:
            self.notify("Move to the alarm to duplicate first.", severity="warning")
            return
        card = self._card(source.alarm_json(), source.number + 1)
        card.dirty = True  # a new alarm: not the stored one
        await self._insert(card, source)

    def action_remove_alarm(self) -> None:
        card = self._current()
        if card is None:
            self.notify("Move to the alarm to remove first.", severity="warning")
            return
        self.post_message(self.RemoveRequested(self, card))

    async def remove_card(self, card: AlarmCard) -> None:
        """Remove ``card`` (after the host confirmed) and focus its neighbour."""
        if card not in self.cards:  # already gone (a second answer to the same request)
            return
        cards = self.cards
        index = cards.index(card)
        await card.remove()
        self._renumber()
        rest = self.cards
        if rest:
            rest[min(index, len(rest) - 1)].focus_first()
        self._changed()

    @on(AlarmCard.Edited)
    def _card_edited(self, event: AlarmCard.Edited) -> None:
        event.stop()
        self.post_message(self.Changed(self))
