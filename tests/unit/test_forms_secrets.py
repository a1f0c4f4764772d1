"""Secrets in the form engine: map values secret by key, PEM line breaks, nothing unset sent."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.drafts import scrub
from tui.forms import FieldError, ScalarField, build_form
from tui.secrets import (
    MASK,
    is_secret_name,
    line_count,
    mask_secrets,
    normalise_newlines,
    pem_problem,
    read_pem_file,
)

PEM_LINES = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBszCCAVmgAwIBAgIUd3Jvbmc=",
    "YWJjZGVmZ2hpamtsbW5vcHFyc3R1",
    "-----END CERTIFICATE-----",
]
HTTP = {
    "type": "object",
    "properties": {
        "url": {"type": "string"},
        "headers": {"type": "object", "additionalProperties": {"type": "string"}},
    },
}


# -- which names are secret ----------------------------------------------------------------
@pytest.mark.parametrize(
    "name",
    [
        "Authorization",
        "Proxy-Authorization",
        "X-Api-Key",
        "x-api-key",
        "X-Auth-Token",
        "Cookie",
        "hecToken",
        "clientSecret",
        "dbPassword",
        "myApiKey",
        "password",
        "secretAccessKey",
        "privateKey",
    ],
)
def test_credential_names_are_secret(name: str) -> None:
    assert is_secret_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "X-Tenant",
        "Content-Type",
        "accept",
        "tokenUrl",
        "sharedAccessKeyName",
        "certificateId",
        "trustedCaCertficate",
        "region",
        "tokenType",
    ],
)
def test_names_of_non_secrets_are_not_secret(name: str) -> None:
    assert not is_secret_name(name)


# -- map values secret by key --------------------------------------------------------------
def test_a_header_row_is_a_secret_when_its_key_is():
    tree = build_form(HTTP)
    headers = tree.find("headers")
    auth = headers.add_row("Authorization", "Bearer abc.def").value
    tenant = headers.add_row("X-Tenant", "t1").value
    assert isinstance(auth, ScalarField) and auth.secret and auth.kind == "secret"
    assert isinstance(tenant, ScalarField) and not tenant.secret and tenant.kind == "string"
    # renaming the key changes what the value is
    assert headers.set_key(1, "X-Api-Key") is None
    assert tenant.secret and tenant.kind == "secret"
    assert headers.set_key(1, "X-Tenant") is None
    assert not tenant.secret


def test_a_secret_header_is_sent_but_never_drafted_nor_shown():
    tree = build_form(HTTP)
    tree.find("headers").add_row("Authorization", "Bearer abc.def")
    tree.find("headers").add_row("Proxy-Authorization", "Basic dXNlcg==")
    tree.find("headers").add_row("X-Tenant", "t1")
    payload = tree.payload()
    assert payload["headers"]["Authorization"] == "Bearer abc.def"
    draft = json.dumps(tree.draft())
    assert "abc.def" not in draft and "dXNlcg" not in draft and "t1" in draft
    assert "abc.def" not in json.dumps(scrub({"form": tree.draft(), "configuration": payload}))
    shown = mask_secrets(payload)
    assert shown["headers"] == {
        "Authorization": MASK,
        "Proxy-Authorization": MASK,
        "X-Tenant": "t1",
    }


def test_a_masked_header_loaded_for_editing_must_be_typed_again():
    tree = build_form(HTTP)
    tree.load({"url": "https://x", "headers": {"Authorization": MASK}}, mode="edit")
    auth = tree.find("headers.Authorization")
    assert auth.secret_state == "unchanged"
    errors = tree.validate()
    assert [e.path for e in errors] == ["headers.Authorization"]
    assert "re-enter this secret" in errors[0].message
    auth.set_text("Bearer new")
    assert tree.payload()["headers"] == {"Authorization": "Bearer new"}


def test_cloning_empties_secret_headers():
    tree = build_form(HTTP)
    tree.load({"headers": {"Authorization": "Bearer x", "X-Tenant": "t"}}, mode="clone")
    auth = tree.find("headers.Authorization")
    assert auth.text == "" and auth.secret_state == "empty"
    # the row is kept (the clone needs the header) and asks for its value
    assert tree.validate() == [FieldError("headers.Authorization", "is required")]
    auth.set_text("Bearer y")
    assert tree.payload()["headers"] == {"Authorization": "Bearer y", "X-Tenant": "t"}


# -- PEM line breaks -----------------------------------------------------------------------
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_pasted_pem_keeps_its_lines_whatever_the_terminal_sends(newline: str) -> None:
    tree = build_form({"type": "object", "properties": {"certificate": {"type": "string"}}})
    field = tree.find("certificate")
    assert field.kind == "pem" and field.secret
    assert field.set_text(newline.join(PEM_LINES) + newline) is None
    assert field.text == "\n".join(PEM_LINES) + "\n"
    assert field.line_count == 4
    assert tree.payload()["certificate"].count("\n") == 4
    assert "\r" not in tree.payload()["certificate"]


def test_loaded_pem_with_crlf_is_normalised_and_counted():
    tree = build_form({"type": "object", "properties": {"privateKey": {"type": "string"}}})
    tree.load({"privateKey": "\r\n".join(PEM_LINES)}, mode="edit")
    assert tree.find("privateKey").text == "\n".join(PEM_LINES)
    assert tree.find("privateKey").line_count == 4


def test_pem_file_with_crlf_is_read_with_lf(tmp_path):
    path = tmp_path / "key.pem"
    path.write_bytes("\r\n".join(PEM_LINES).encode() + b"\r\n")
    assert read_pem_file(path) == "\n".join(PEM_LINES) + "\n"


def test_a_pem_field_says_when_text_is_not_pem():
    tree = build_form({"type": "object", "properties": {"certificate": {"type": "string"}}})
    message = tree.find("certificate").set_text("-----BEGIN CERTIFICATE-----")
    assert message is not None and message.startswith("does not look like PEM")
    assert pem_problem("\r".join(PEM_LINES)) is None
    assert pem_problem("hello") == message


@given(
    st.lists(st.text(alphabet="ab =-", max_size=20), max_size=8), st.sampled_from(["\r", "\r\n"])
)
def test_line_count_does_not_depend_on_the_line_break(lines: list[str], newline: str) -> None:
    text = newline.join(lines)
    assert "\r" not in normalise_newlines(text)
    assert line_count(text) == line_count("\n".join(lines))


# -- optional booleans and enums without a default -----------------------------------------
UNSET = {
    "type": "object",
    "properties": {
        "mode": {"enum": ["a", "b"]},
        "enabled": {"type": "boolean"},
        "maybe": {"type": ["boolean", "null"]},
        "level": {"enum": ["low", "high", None]},
    },
}


def test_optional_choices_without_a_default_stay_unset_and_are_not_sent():
    tree = build_form(UNSET)
    for name in ("mode", "enabled", "maybe", "level"):
        node = tree.find(name)
        assert node.value is None and not node.is_set, name
    assert tree.validate() == []
    assert tree.payload() == {}


def test_picking_then_clearing_an_optional_enum():
    tree = build_form(UNSET)
    tree.find("mode").set_value("b")
    tree.find("maybe").set_null()
    assert tree.find("mode").is_set and tree.find("maybe").is_set
    assert tree.payload() == {"mode": "b", "maybe": None}
    tree.find("mode").set_value(None)
    assert tree.payload() == {"maybe": None}


def test_a_required_enum_without_a_default_is_not_picked_either():
    tree = build_form({**UNSET, "required": ["mode"]})
    assert not tree.find("mode").is_set
    assert tree.validate() == [FieldError("mode", "is required")]
