"""The screen-less draft store: keys, round trip, no secrets on disk, tolerance."""

from __future__ import annotations

import stat
from datetime import UTC, datetime

import pytest

from tui.drafts import DraftKeeper, DraftStore, draft_key, scrub
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


def test_the_keeper_holds_each_edit_and_writes_once_per_burst(tmp_path) -> None:
    store = DraftStore(tmp_path)
    keeper = DraftKeeper(store)
    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert keeper.keep("create-x", {"name": "a"}, now=when) is True  # schedule a write
    assert keeper.keep("create-x", {"name": "ab"}, now=when) is False  # the same write
    assert keeper.data == {"name": "ab"} and store.load("create-x") is None
    assert keeper.flush() is not None
    assert store.load("create-x").data == {"name": "ab"}
    assert keeper.flush() is None  # nothing new: no write
    assert keeper.keep("create-x", {"name": "abc", "password": "pw"}, now=when) is True
    keeper.flush()
    assert store.load("create-x").data == {"name": "abc"}  # secrets never on disk


def test_the_keeper_keeps_the_old_draft_when_the_form_changes_subject(tmp_path) -> None:
    store = DraftStore(tmp_path)
    keeper = DraftKeeper(store)
    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    keeper.keep("create-x", {"name": "x"}, now=when)
    keeper.keep("create-y", {"name": "y"}, now=when)  # another connector picked
    assert store.load("create-x").data == {"name": "x"}
    keeper.flush()
    assert store.load("create-y").data == {"name": "y"}


def test_a_discarded_draft_is_not_written_back(tmp_path) -> None:
    store = DraftStore(tmp_path)
    keeper = DraftKeeper(store)
    when = datetime(2024, 5, 1, 12, tzinfo=UTC)
    keeper.keep("edit-8", {"name": "x"}, now=when)
    keeper.flush()
    keeper.keep("edit-8", {"name": "xy"}, now=when)
    keeper.discard("edit-8")
    keeper.flush()  # a flush scheduled before the discard
    assert store.load("edit-8") is None and keeper.data is None


def test_each_platform_keeps_its_own_drafts(tmp_path, monkeypatch) -> None:
    # Connection 5 of the lab is not connection 5 of production: a draft saved against
    # one must never resume on the other (sending it would overwrite that connection).
    monkeypatch.setenv("IOTFLOW_STATE_DIR", str(tmp_path))
    lab = DraftStore.for_platform("https://lab.example.com/iot-flow/v1")
    prod = DraftStore.for_platform("https://iot.example.com/iot-flow/v1")
    lab.save(draft_key("edit", connection_id="5"), {"name": "lab five"})
    assert prod.load("edit-5") is None and prod.keys() == []
    assert DraftStore.for_platform("https://LAB.example.com/iot-flow/v1/").load("edit-5")
    # The same host under another flavour, or another port, is another platform too.
    dx = DraftStore.for_platform("https://lab.example.com/thingpark/dx/core/latest/api")
    other_port = DraftStore.for_platform("https://lab.example.com:8443/iot-flow/v1")
    assert dx.load("edit-5") is None and other_port.load("edit-5") is None
    assert lab.folder.parent == tmp_path / "drafts"
    assert lab.folder.name.startswith("lab.example.com-")
    assert other_port.folder.name.startswith("lab.example.com_8443-")
