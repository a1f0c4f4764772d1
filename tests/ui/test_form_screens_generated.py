"""Generated connector schemas through the real form screen (Pilot, headless): every field
visited and changed, items and rows added and removed, a variant switched, submit pressed.
The app never crashes; either what is sent validates against the schema, or the form says
what is wrong in sentences. A longer run: tests/benchmarks/bench_form_generated.py.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path
from typing import Any

import jsonschema
from hypothesis import HealthCheck, given, settings
from textual.widgets import Button, Input, Select, Switch, TextArea

from tests.support.clock import T0
from tests.support.form_screens import FormHost, SchemaClient, make_screen, settle, submit
from tests.support.schemas import connector_schemas
from tests.support.waiting import settled
from tui.widgets.form_fields import (
    BooleanField,
    ChoiceGroup,
    EnumField,
    JsonEditor,
    ListGroup,
    MapGroup,
    PemField,
    TextField,
)
from tui.widgets.pem_input import MaskedText

TEXTS = ("a", "7", "abc", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n")


class FixedClock:
    def now(self):
        return T0


async def press_button(pilot: Any, button: Button) -> None:
    if button.is_attached and not button.disabled:
        button.press()
        await settled(pilot)


async def exercise(pilot: Any, screen: Any) -> None:
    """Visit and change every field, as a person going down the form would."""
    form = screen.form
    seen: set[int] = set()
    for _ in range(3):  # adding items reveals new fields: go over the form again
        for box in list(form.query("*")):
            if not box.is_attached or id(box) in seen:
                continue
            seen.add(id(box))
            if isinstance(box, TextField | JsonEditor):
                control = box.query_one(f"#f-{box.node.uid}")
                control.focus()
                text = TEXTS[len(seen) % len(TEXTS)]
                if isinstance(control, Input):
                    control.value = text.splitlines()[0]
                elif isinstance(control, TextArea):
                    control.load_text('{"k": 1}' if isinstance(box, JsonEditor) else text)
                await settled(pilot)
            elif isinstance(box, PemField):
                editor = box.query_one(f"#f-{box.node.uid}")
                if isinstance(editor, MaskedText):
                    editor.post_message(MaskedText.Pasted(editor, TEXTS[3].replace("\n", "\r")))
                else:
                    editor.load_text(TEXTS[3])
                await settled(pilot)
            elif isinstance(box, BooleanField):
                control = box.query_one(f"#f-{box.node.uid}")
                if isinstance(control, Switch):
                    control.toggle()
                else:
                    control.value = "yes"
                await settled(pilot)
            elif isinstance(box, EnumField):
                select = box.query_one(Select)
                options = box.node.options
                if options:
                    select.value = len(options) - 1
                await settled(pilot)
            elif isinstance(box, ChoiceGroup):
                if len(box.node.variants) > 1:
                    box.query_one(f"#f-{box.node.uid}", Select).value = len(box.node.variants) - 1
                    await settled(pilot)
            elif isinstance(box, ListGroup | MapGroup):
                add = box.query_one(f"#f-{box.node.uid}-add", Button)
                await press_button(pilot, add)
                await press_button(pilot, add)
                if isinstance(box, MapGroup):
                    for key in box.query(".keyinput").results(Input):
                        key.value = f"k{key.id}"
                    await settled(pilot)
                removes = [b for b in box.query(Button) if (b.id or "").endswith("-rm")]
                if removes:
                    await press_button(pilot, removes[-1])


def sentences(screen: Any) -> list[str]:
    """The problems the form shows: the summary lines and every visible ✗ line."""
    lines = [str(w.render()) for w in screen.query(".field--error") if not w.has_class("-hidden")]
    summary = screen.query_one("#summary")
    if not summary.has_class("-hidden"):
        lines.extend(str(summary.render()).splitlines())
    return [line for line in lines if line.strip()]


async def run_form(schema: dict[str, Any], folder: Path) -> tuple[SchemaClient, FormHost, Any]:
    client = SchemaClient({"generated": schema})
    screen = make_screen(client, folder, FixedClock())
    app = FormHost(screen)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot, screen)
        await screen._choose("generated")
        await settle(pilot, screen)
        assert screen.step == "settings" and screen.form is not None
        screen.common.set_values("generated", True)
        await exercise(pilot, screen)
        await submit(pilot, screen)
        if not client.sent:
            problems = sentences(screen)
            assert problems, "nothing sent and nothing said"
            for line in problems:
                # a sentence: a mark, a place or a message, and words (never a repr)
                assert len(line) > 3 and "Traceback" not in line and "object at 0x" not in line
    return client, app, screen


def check(schema: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        client, app, _screen = asyncio.run(run_form(schema, Path(folder)))
    assert app.return_code in (None, 0)
    if client.sent:
        configuration = client.sent[-1]["configuration"]
        try:
            validator = jsonschema.Draft4Validator(schema)
            problems = [e.message for e in validator.iter_errors(configuration)]
        except (jsonschema.exceptions.RefResolutionError, jsonschema.exceptions.SchemaError):
            return  # a hostile schema (a missing $ref) the validator cannot even read
        except Exception as exc:  # noqa: BLE001 - referencing's Unresolvable
            if "Unresolvable" not in type(exc).__name__:
                raise
            return
        assert problems == [], (configuration, problems)


@settings(
    max_examples=4,  # each mounts an app; the long run is the benchmark script
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)
@given(connector_schemas())
def test_generated_schemas_through_the_form_screen(schema):
    check(schema)


def test_a_jackson_style_schema_through_the_form_screen():
    """The shape that crashed Textual 8 (optional boolean and enum, no default)."""
    check(
        {
            "type": "object",
            "properties": {
                "on": {"type": "boolean"},
                "mode": {"type": "string", "enum": ["a", "b"]},
                "opt": {"type": ["boolean", "null"]},
            },
        }
    )
