"""The read-only rule and the error log, without a screen."""

from __future__ import annotations

import stat

from hypothesis import assume, given
from hypothesis import strategies as st

from tui import crashlog
from tui.readonly import MUTATING_ACTIONS, action_name, refusal_notice, refuses


def test_action_names_lose_namespace_and_arguments() -> None:
    assert action_name("app.sort('name')") == "sort"
    assert action_name("screen.delete") == "delete"
    assert action_name("toggle_active") == "toggle_active"


def test_refuses_only_mutating_actions_when_read_only() -> None:
    for action in MUTATING_ACTIONS:
        assert refuses(action, read_only=True)
        assert refuses(f"app.{action}", read_only=True)
        assert not refuses(action, read_only=False)
    for action in ("refresh", "filter", "details", "sort('state')", "copy_id", "help"):
        assert not refuses(action, read_only=True)


def test_refusal_notice_says_why_and_what_to_change() -> None:
    text = refusal_notice("delete")
    assert "Read-only" in text and "deleting" in text and "nothing was sent" in text
    assert "read_only = false" in text


# Upper case and digits: a token can then never be a piece of the text around it.
_token = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=8)


@given(token=_token)
def test_bearer_and_basic_credentials_never_survive(token: str) -> None:
    for line in (
        f"Authorization: Bearer {token}",
        f"headers={{'Authorization': 'Basic {token}'}}",
        f'{{"password": "{token}", "name": "x"}}',
        f"client_secret={token}&grant_type=client_credentials",
        f"api_key: {token}",
    ):
        # A token that is also a piece of the line's own words (``client_c`` in
        # ``client_credentials``) would be found after redaction without having leaked.
        assume(token not in line.replace(token, "\0"))
        out = crashlog.redact(line)
        assert token not in out, (line, out)
        assert crashlog.REDACTED in out


def test_pem_blocks_are_dropped_whole() -> None:
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    out = crashlog.redact(f"value was {pem} then more")
    assert "MIIEvQ" not in out and "BEGIN PRIVATE KEY" not in out
    assert out.endswith("then more")


def test_ordinary_text_is_left_alone() -> None:
    line = "KeyError: 'connectorId' while reading connection 42 (state OPENED)"
    assert crashlog.redact(line) == line


def test_log_entry_holds_the_redacted_traceback(tmp_path) -> None:
    try:
        raise RuntimeError("refused: Authorization: Bearer s3cr3t-t0ken-value")
    except RuntimeError as error:
        path = crashlog.write_entry(tmp_path / "state", error, "handling the key 'a'")
    assert path == tmp_path / "state" / crashlog.LOG_NAME
    text = path.read_text()
    assert "Traceback" in text and "RuntimeError" in text and "handling the key 'a'" in text
    assert "s3cr3t-t0ken-value" not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_log_is_rotated_past_its_limit(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(crashlog, "MAX_BYTES", 100)
    error = ValueError("x" * 200)
    crashlog.write_entry(tmp_path, error, "first")
    crashlog.write_entry(tmp_path, error, "second")
    assert "second" in (tmp_path / crashlog.LOG_NAME).read_text()
    assert "first" in (tmp_path / (crashlog.LOG_NAME + ".1")).read_text()


def test_unwritable_log_is_not_a_second_failure(tmp_path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert crashlog.write_entry(blocker / "sub", ValueError("x"), "here") is None
    assert "could not be written" in crashlog.sentence("doing it", None)


def test_sentence_says_what_failed_nothing_lost_and_where(tmp_path) -> None:
    text = crashlog.sentence("running the task “poll-loop”", tmp_path / "errors.log")
    assert "poll-loop" in text and "nothing you typed was lost" in text
    assert str(tmp_path / "errors.log") in text
