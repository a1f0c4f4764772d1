"""A section of a large form (:mod:`tui.forms.sections`): a collapsible whose fields are
mounted when it opens and removed when it closes.

Textual lays out every mounted widget again on each keystroke, so a closed section costs
nothing while typing elsewhere. The values stay in the tree (the widgets are only views),
so closing a section loses nothing, and its problems show in its title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from textual import on
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Collapsible

from tui.forms.sections import Section

from .base import FormView


class FormSection(Collapsible):
    """One :class:`~tui.forms.sections.Section`; ``filled`` when its fields are mounted."""

    def __init__(self, section: Section, view: FormView, *, collapsed: bool) -> None:
        super().__init__(
            title=section.title, collapsed=collapsed, id=f"sec-{section.index}", classes="section"
        )
        self.section = section
        self.view = view
        self.filled = not collapsed
        self._after_fill: list[Callable[[], object]] = []

    def compose(self) -> ComposeResult:
        yield self._title
        with self.Contents():
            if self.filled:
                yield from self._fields()

    def _fields(self) -> Iterator[Widget]:
        for node in self.section.nodes:
            yield from self.view.build(node)

    def open(self, then: Callable[[], object] | None = None) -> None:
        """Open the section; ``then`` runs once its fields are mounted (at once if they are)."""
        if self.filled and not self.collapsed:
            if then is not None:
                then()
            return
        if then is not None:
            self._after_fill.append(then)
        if self.collapsed:
            self.collapsed = False
        else:
            self.call_next(self._fill)

    @on(Collapsible.Expanded)
    async def _opened(self, event: Collapsible.Expanded) -> None:
        if event.collapsible is self:
            await self._fill()

    async def _fill(self) -> None:
        if not self.filled:
            self.filled = True
            await self.query_one(Collapsible.Contents).mount_all(list(self._fields()))
        waiting, self._after_fill = self._after_fill, []
        for callback in waiting:
            callback()

    @on(Collapsible.Collapsed)
    async def _closed(self, event: Collapsible.Collapsed) -> None:
        if event.collapsible is self and self.filled:
            self.filled = False
            await self.query_one(Collapsible.Contents).remove_children()

    def show_problems(self) -> None:
        """The title says how many of the section's settings show a problem."""
        view = self.view
        problems = sum(
            1
            for top in self.section.nodes
            for node in top.walk()
            if view.visible_error(node) is not None
        )
        title = self.section.title
        if problems:
            title += f" · ✗ {problems} problem{'s' if problems != 1 else ''}"
        if title != self.title:
            self.title = title
