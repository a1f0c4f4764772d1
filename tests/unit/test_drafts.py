"""The screen-less draft store: keys, round trip, no secrets on disk, tolerance."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from tui.drafts import DraftStore, draft_key, scrub
from tui.secrets import MASK


def test_keys_name_what_the_form_is_for() -> None:
    assert draft_key("create", connector_id="actility-aws-iot") == "create-actility-aws-iot"
    assert draft_key("edit", connection_id="8") == "edit-8"
    assert draft_key("clone", connection_id="8") == "clone-8"
    with pytest.raises(ValueError):
        draft_key("edit")
    with pytest.raises(ValueError):
        draft_key("delete", connection_id="8")


def test_round_trip_and_delete(tmp_path) -> None:
    store = DraftStore(tmp_path / "drafts")
    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    store.save("edit-8", {"name": "x", "form": {"root": {"a": 1}}}, now=when)
    draft = store.load("edit-8")
    assert draft is not None and draft.saved_at == when
    assert draft.data == {"name": "x", "form": {"root": {"a": 1}}}
    assert store.keys() == ["edit-8"]
    mode = stat.S_IMODE(store.path("edit-8").stat().st_mode)
    assert mode == 0o600
    store.delete("edit-8")
    store.delete("edit-8")  # twice is fine
    assert store.load("edit-8") is None and store.keys() == []


def test_secrets_never_reach_the_disk(tmp_path) -> None:
    store = DraftStore(tmp_path)
    data = {
        "name": "n",
        "form": {"password": "hunter2", "nested": {"secretAccessKey": "k", "region": "eu"}},
        "list": [MASK, "ok"],
        "other": MASK,
    }
    store.save("create-x", data)
    text = store.path("create-x").read_text()
    assert "hunter2" not in text and MASK not in text and '"k"' not in text
    assert store.load("create-x").data["form"]["nested"] == {"region": "eu"}
    assert scrub({"apiToken": "t", "n": 1}) == {"n": 1}


def test_unreadable_drafts_are_ignored(tmp_path) -> None:
    store = DraftStore(tmp_path)
    store.path("create-x").write_text("{not json")
    store.path("edit-1").write_text('{"version": 99, "data": {}}')
    assert store.load("create-x") is None and store.load("edit-1") is None
    assert store.keys() == []
    assert DraftStore(tmp_path / "missing").load("edit-1") is None


def test_odd_keys_make_safe_file_names(tmp_path) -> None:
    store = DraftStore(tmp_path)
    path = store.save("edit-../../etc", {"name": "x"})
    assert path.parent == tmp_path


def test_credential_headers_never_reach_the_disk(tmp_path) -> None:
    store = DraftStore(tmp_path)
    data = {
        "configuration": {
            "headers": {"Authorization": "Bearer abc.def", "X-Api-Key": "k", "X-Tenant": "t"}
        }
    }
    path = store.save("create-actility-http-iot", data)
    text = path.read_text()
    assert "abc.def" not in text and '"k"' not in text
    assert store.load("create-actility-http-iot").data == {
        "configuration": {"headers": {"X-Tenant": "t"}}
    }
