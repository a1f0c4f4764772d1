"""The secrets prompt (activate/deactivate of a connection with masked secrets): a
multi-line certificate or key arrives whole, the dialog fits 80x24 with labelled buttons."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.widgets import Button

from tests.support.form_screens import PEM_CERT
from tui.screens.secrets_prompt import SecretsPrompt
from tui.widgets.pem_input import MaskedText

PATHS = ["configuration.password", "configuration.certificate", "configuration.privateKey"]


class PromptHost(App[None]):
    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths
        self.result: Any = "pending"

    def on_mount(self) -> None:
        def done(values: Any) -> None:
            self.result = values

        self.push_screen(SecretsPrompt("Deactivate “Lyon”: secrets needed", self.paths), done)


async def paste(pilot, widget, text: str) -> None:
    widget.focus()
    await pilot.pause()
    widget.post_message(events.Paste(text))
    await pilot.pause()


async def test_a_pasted_certificate_arrives_whole_with_lf_breaks(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text(PEM_CERT.replace("CERTIFICATE", "PRIVATE KEY"))
    app = PromptHost(PATHS)
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = app.screen
        assert isinstance(prompt, SecretsPrompt)
        await pilot.press(*"pw")
        await paste(pilot, prompt.query_one("#secret-1", MaskedText), PEM_CERT.replace("\n", "\r"))
        assert "3 lines" in str(prompt.query_one("#secret-1").render())
        file_input = prompt.query_one("#secret-2-file")
        file_input.focus()
        await pilot.press(*str(key), "enter")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.result == {
        "configuration.password": "pw",
        "configuration.certificate": PEM_CERT,
        "configuration.privateKey": key.read_text(),
    }
    assert app.result["configuration.certificate"].count("\n") == 3


async def test_only_the_first_line_or_not_pem_is_refused():
    """The bug this fixes: a one-line Input kept "-----BEGIN CERTIFICATE-----" alone."""
    app = PromptHost(["configuration.certificate"])
    async with app.run_test(size=(80, 24)) as pilot:
        prompt = app.screen
        await paste(pilot, prompt.query_one("#secret-0"), "-----BEGIN CERTIFICATE-----")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is prompt and app.result == "pending"
        assert prompt.problem(prompt.values()).endswith("-----END …----- lines.")


async def test_the_prompt_fits_80x24_with_labelled_buttons():
    app = PromptHost(PATHS)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        prompt = app.screen
        for button_id in ("send", "cancel"):
            button = prompt.query_one(f"#{button_id}", Button)
            region = button.region
            assert region.width > 0 and region.bottom <= 24 and region.right <= 80
        assert "Send" in str(prompt.query_one("#send", Button).label)
        assert "send nothing" in str(prompt.query_one("#cancel", Button).label)


def test_secrets_prompt_snapshot(snap_compare):
    """The prompt at 80x24 for a password, a certificate and a key: the title, why, a
    masked input, two "(empty) paste it here" boxes with their file-path inputs, and the
    labelled buttons "Cancel, send nothing (esc)" and "Send these secrets (ctrl+s)" visible
    at the bottom."""
    assert snap_compare(PromptHost(PATHS), terminal_size=(80, 24))
