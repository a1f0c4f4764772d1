"""Settings precedence (flags > environment > file > defaults) and secret handling."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tui.config import ConfigError, Profile, load_profile, make_client, read_config_file

FILE = """
default_profile = "prod"

[profiles.prod]
url = "https://iot.example.com/iot-flow/v1"
client_id = "ops-api/alice"
client_secret_env = "PROD_SECRET"
refresh_interval = 10
read_only = true

[profiles.community]
url = "https://community.thingpark.io"
flavour = "dx-core"
auth = "dx-admin"
client_id = "sa-123"
client_secret = "in-the-file"
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(FILE)
    path.chmod(0o600)
    return path


def test_defaults_without_file_or_env(tmp_path: Path) -> None:
    profile = load_profile({}, env={}, path=tmp_path / "absent.toml")
    assert profile == Profile()
    assert profile.refresh_interval == 5.0 and not profile.read_only


def test_file_default_profile_and_secret_from_named_variable(config: Path) -> None:
    profile = load_profile({}, env={"PROD_SECRET": "pr0d-s3cret"}, path=config)
    assert profile.name == "prod" and profile.client_secret == "pr0d-s3cret"
    assert profile.refresh_interval == 10.0 and profile.read_only is True
    assert profile.resolved_token_url == (
        "https://iot.example.com/users-auth/protocol/openid-connect/token")
    assert "pr0d-s3cret" not in repr(profile) and "pr0d-s3cret" not in str(profile)


def test_environment_overrides_file_and_flags_override_environment(config: Path) -> None:
    env = {"PROD_SECRET": "s", "IOTFLOW_REFRESH": "7", "IOTFLOW_URL": "https://env.example"}
    profile = load_profile({}, env=env, path=config)
    assert profile.refresh_interval == 7.0 and profile.url == "https://env.example"
    profile = load_profile({"refresh_interval": 3.0, "url": "https://flag.example"},
                           env=env, path=config)
    assert profile.refresh_interval == 3.0 and profile.url == "https://flag.example"


def test_environment_alone_is_enough(tmp_path: Path) -> None:
    env = {"IOTFLOW_URL": "https://p.example", "IOTFLOW_CLIENT_ID": "c",
           "IOTFLOW_CLIENT_SECRET": "s", "IOTFLOW_FLAVOUR": "dx-core"}
    profile = load_profile({}, env=env, path=tmp_path / "none.toml")
    profile.check()
    assert profile.api_url == "https://p.example/thingpark/dx/core/latest/api"


def test_dx_admin_profile_derives_legacy_token_url(config: Path) -> None:
    profile = load_profile({"profile": "community"}, env={}, path=config)
    assert profile.flavour == "dx-core" and profile.client_secret == "in-the-file"
    assert profile.resolved_token_url == (
        "https://community.thingpark.io/thingpark/dx/admin/latest/api/oauth/token")


def test_secret_in_a_file_others_can_read_is_warned(config: Path) -> None:
    config.chmod(0o644)
    profile = load_profile({"profile": "community"}, env={}, path=config)
    assert any("chmod 600" in w for w in profile.warnings)
    config.chmod(0o600)
    assert load_profile({"profile": "community"}, env={}, path=config).warnings == ()


def test_secrets_are_refused_as_flags(config: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be given as a flag"):
        load_profile({"client_secret": "x"}, env={}, path=config)


def test_refresh_interval_has_a_floor(config: Path) -> None:
    profile = load_profile({"refresh_interval": 0.5}, env={"PROD_SECRET": "s"}, path=config)
    assert profile.refresh_interval == 2.0 and any("minimum" in w for w in profile.warnings)


def test_unknown_profile_and_bad_values_are_explained(config: Path) -> None:
    with pytest.raises(ConfigError, match="known: community, prod"):
        load_profile({"profile": "nope"}, env={}, path=config)
    with pytest.raises(ConfigError, match="not a valid float"):
        load_profile({}, env={"IOTFLOW_REFRESH": "soon"}, path=config)
    config.write_text("[profiles\n")
    with pytest.raises(ConfigError, match="Cannot read"):
        load_profile({}, env={}, path=config)
    config.write_bytes(b"[profiles.prod]\nurl = '\xff'\n")  # not UTF-8: a sentence too
    with pytest.raises(ConfigError, match="Cannot read .*Fix the file"):
        load_profile({}, env={}, path=config)


@pytest.mark.parametrize("text", ["", "\n  \n", "# only a comment\n"])
def test_a_file_without_settings_sets_nothing(tmp_path: Path, text: str) -> None:
    """An empty file is read without the TOML parser (nothing in it to parse), and reads
    as one holding only comments does: no settings, no warning."""
    path = tmp_path / "config.toml"
    path.write_text(text)
    path.chmod(0o600)
    assert read_config_file(path) == ({}, [])


def test_missing_secret_says_where_to_put_it(tmp_path: Path) -> None:
    profile = load_profile({"url": "https://x.example", "client_id": "c"}, env={},
                           path=tmp_path / "n.toml")
    with pytest.raises(ConfigError, match="IOTFLOW_CLIENT_SECRET"):
        profile.check()
    with pytest.raises(ConfigError, match="No platform URL"):
        Profile().check()


async def test_static_token_profile_makes_a_client(tmp_path: Path) -> None:
    env = {"IOTFLOW_URL": "https://x.example/iot-flow/v1", "IOTFLOW_TOKEN": "abc"}
    profile = load_profile({}, env=env, path=tmp_path / "n.toml")
    assert profile.auth == "token"
    client = make_client(profile)
    try:
        assert client.base_url == "https://x.example/iot-flow/v1"
        assert "abc" not in repr(client.auth)
    finally:
        await client.aclose()


def test_config_path_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tui.config import config_path

    monkeypatch.setenv("IOTFLOW_CONFIG", str(tmp_path / "c.toml"))
    assert config_path() == tmp_path / "c.toml"
    monkeypatch.delenv("IOTFLOW_CONFIG")
    assert config_path().name == "config.toml" and "iotflow" in str(config_path())
    assert os.sep in str(config_path())


def test_keymap_table_maps_binding_ids_to_keys(tmp_path: Path) -> None:
    from tui.config import load_keymap

    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"dashboard.delete" = "x"\n"dashboard.faults" = "F,!"\n')
    assert load_keymap(path) == {"dashboard.delete": "x", "dashboard.faults": "F,!"}
    assert load_keymap(tmp_path / "absent.toml") == {}
    path.write_text("[keymap]\nbad = 3\n")
    with pytest.raises(ConfigError, match="binding ids"):
        load_keymap(path)


def test_a_config_file_others_can_write_never_supplies_a_secret(config: Path) -> None:
    config.chmod(0o666)
    with pytest.raises(ConfigError, match="other users can change"):
        # prod takes its URL from the file: a secret from the environment would go there.
        load_profile({}, env={"PROD_SECRET": "pr0d-s3cret"}, path=config)
    profile = load_profile({"profile": "community"}, env={}, path=config)
    assert profile.client_secret == ""  # the file's secret is ignored
    assert any("can be changed by other users" in w for w in profile.warnings)


def test_a_private_config_file_is_used_as_before(config: Path) -> None:
    profile = load_profile({"profile": "community"}, env={}, path=config)
    assert profile.client_secret == "in-the-file"
    assert not profile.warnings


def test_devnull_as_config_file_is_no_file(tmp_path: Path) -> None:
    profile = load_profile({"url": "http://127.0.0.1:8080"}, env={}, path=Path(os.devnull))
    assert profile.warnings == ()


@pytest.mark.parametrize(
    ("url", "warns"),
    [("http://iot.example.com/iot-flow/v1", True), ("http://10.0.0.5:8080", True),
     ("http://127.0.0.1:8080", False), ("http://localhost:8080", False),
     ("http://[::1]:8080", False), ("https://iot.example.com", False)],
)
def test_plain_http_to_another_host_warns_once(tmp_path: Path, url: str, warns: bool) -> None:
    profile = load_profile({"url": url}, env={}, path=tmp_path / "absent.toml")
    found = [w for w in profile.warnings if "plain http://" in w]
    assert len(found) == (1 if warns else 0)
    if warns:
        assert "client secret" in found[0] and "https://" in found[0]


@pytest.mark.parametrize(("client_id", "secret", "said"), [
    ("demo", None, "has no secret: put the secret in the environment variable "
                   "IOTFLOW_CLIENT_SECRET."),
    (None, "s3", "has no client id: set client_id (or IOTFLOW_CLIENT_ID)."),
    (None, None, "has no client id and no secret: set client_id (or IOTFLOW_CLIENT_ID) and "
                 "put the secret"),
])
def test_a_profile_says_which_credential_is_missing(client_id, secret, said) -> None:
    env = {"IOTFLOW_URL": "https://iot.example.com/iot-flow/v1"}
    if client_id:
        env["IOTFLOW_CLIENT_ID"] = client_id
    if secret:
        env["IOTFLOW_CLIENT_SECRET"] = secret
    with pytest.raises(ConfigError) as caught:
        load_profile(env=env, path=Path(os.devnull)).check()
    assert said in str(caught.value)
