"""Settings: one typed object, read from flags, then environment, then a TOML file.

| where | what |
|---|---|
| flags | ``--profile``, ``--url``, ``--flavour``, ``--read-only``, ``--refresh`` ... |
| environment | ``IOTFLOW_URL``, ``IOTFLOW_TOKEN_URL``, ``IOTFLOW_CLIENT_ID``,
  ``IOTFLOW_CLIENT_SECRET``, ``IOTFLOW_FLAVOUR``, ``IOTFLOW_AUTH``, ``IOTFLOW_TOKEN``,
  ``IOTFLOW_PROFILE``, ``IOTFLOW_READ_ONLY``, ``IOTFLOW_REFRESH``, ``IOTFLOW_CONFIG`` |
| file | ``config.toml`` in the user's config directory (``iotflow info`` prints it) |
| defaults | the values below |

A profile never takes a secret from a flag (flags are visible to every user of the
machine through ``ps``): the secret comes from an environment variable, named by the
profile's ``client_secret_env`` or ``IOTFLOW_CLIENT_SECRET``, or from the file itself,
in which case a file readable by others gets a warning.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .api.flavours import API_PREFIX, DX_CORE, FLAVOURS, IOT_FLOW
from .loopback import is_loopback

if TYPE_CHECKING:
    from .health import Thresholds

# Imported where they are used, not here: every command loads its profile before it asks
# the platform anything, and ``iotflow list`` against a platform named in the environment
# needs neither the health rules (14 ms to import, with the history store), nor
# platformdirs (5 ms) when $IOTFLOW_CONFIG and $IOTFLOW_STATE_DIR say where, nor tomllib
# (2.5 ms) without a config file.

AUTH_MODES = ("oidc", "dx-admin", "token")
OIDC_TOKEN_PATH = "/users-auth/protocol/openid-connect/token"
DX_ADMIN_TOKEN_PATH = "/thingpark/dx/admin/latest/api/oauth/token"
MIN_REFRESH = 2.0


class ConfigError(Exception):
    """A setting that cannot be used; the message says which and what to do."""


def config_path() -> Path:
    """The config file: ``$IOTFLOW_CONFIG`` or ``config.toml`` in the user config dir."""
    explicit = os.environ.get("IOTFLOW_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir("iotflow")) / "config.toml"


def state_dir() -> Path:
    """Where the state history and form drafts are kept (``$IOTFLOW_STATE_DIR`` wins)."""
    explicit = os.environ.get("IOTFLOW_STATE_DIR")
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_state_dir

    return Path(user_state_dir("iotflow"))


@dataclass(frozen=True)
class Profile:
    """Everything needed to talk to one platform."""

    name: str = "default"
    """The profile's name, shown in the dashboard header."""
    url: str = ""
    """API base URL, e.g. ``https://iot.thingpark.com/iot-flow/v1``; a bare host gets the
    flavour's path."""
    flavour: str = IOT_FLOW
    """``iot-flow`` (IoT Flow v1) or ``dx-core`` (ThingPark Enterprise / Community)."""
    auth: str = "oidc"
    """``oidc`` (users-auth client credentials), ``dx-admin`` (legacy token) or ``token``."""
    token_url: str = ""
    """Token endpoint; derived from the URL's host when empty."""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    """Resolved at load time from the environment or the file; never from a flag."""
    client_secret_env: str = ""
    """Name of the environment variable holding the secret (or the static token)."""
    token: str = field(default="", repr=False)
    """Static bearer token for ``auth = "token"``, from ``IOTFLOW_TOKEN`` or the file."""
    validity_period: str = ""
    """DX Admin ``validityPeriod`` (``5min``, ``12hours``, ``7days``, ``90days``, ``infinite``)."""
    verify_tls: bool = True
    ca_bundle: str = ""
    """A PEM file of CA certificates for a platform behind a private CA."""
    refresh_interval: float = 5.0
    """Seconds between two polls of the dashboard (at least 2)."""
    read_only: bool = False
    """When true, nothing can be created, changed or deleted, whatever the keys pressed."""
    timeout: float = 10.0
    """Seconds before a call is abandoned as too slow."""
    page_size: int = 0
    """Ask for pages of this size (0: let the server decide)."""
    max_body_mb: float = 64.0
    """Megabytes of one answer iotflow reads before it gives up (10,000 connections
    take about 7 MB)."""
    max_depth: int = 32
    """Nesting levels of one connection beyond which it is shown as unreadable."""
    stuck_after_minutes: float = 10.0
    flapping_changes: int = 4
    """More changes into a settled state (OPENED, CLOSED, a failure) than this in an hour
    flag a connection as flapping; the steps between (OPENING...) are not counted."""
    closed_grace_minutes: float = 2.0
    """CLOSED for less than this after a create, activate or restart counts as INIT."""
    loss_threshold: int = 0
    """More failed + lost uplinks than this in the last hour flags a connection LOSS."""
    warnings: tuple[str, ...] = ()
    read_only_from: str = ""
    """Where ``read_only`` was switched on: ``flag`` (--read-only), ``environment``
    (IOTFLOW_READ_ONLY) or ``profile`` (the config file); empty when off or not known.
    The refusal of a change names it, so the operator undoes the right one."""
    secret_from: str = ""
    """Where the secret (or static token) was read: the environment variable's name, or
    ``config file``; empty when there is none. ``iotflow info`` says it."""

    @property
    def thresholds(self) -> Thresholds:
        """When a connection counts as stuck, flapping or still starting, for this profile."""
        from .health import Thresholds

        return Thresholds(
            stuck_after=timedelta(minutes=self.stuck_after_minutes),
            flapping_changes=self.flapping_changes,
            closed_grace=timedelta(minutes=self.closed_grace_minutes),
        )

    @property
    def api_url(self) -> str:
        """The base URL with the flavour's path when only a host was given."""
        url = self.url.rstrip("/")
        parts = urlsplit(url)
        if parts.scheme and parts.path in ("", "/"):
            return url + API_PREFIX[self.flavour]
        return url

    @property
    def host(self) -> str:
        return urlsplit(self.url).netloc or self.url

    @property
    def resolved_token_url(self) -> str:
        if self.token_url:
            return self.token_url
        parts = urlsplit(self.url)
        root = f"{parts.scheme}://{parts.netloc}"
        return root + (DX_ADMIN_TOKEN_PATH if self.auth == "dx-admin" else OIDC_TOKEN_PATH)

    def check(self) -> None:
        if not self.url:
            raise ConfigError(
                "No platform URL. Set IOTFLOW_URL, pass --url, or add a profile to "
                f"{config_path()} (see the README); or try `iotflow demo`."
            )
        if not urlsplit(self.url).scheme.startswith("http"):
            raise ConfigError(f"The URL {self.url!r} must start with https:// (or http://).")
        if self.flavour not in FLAVOURS:
            raise ConfigError(f"Unknown flavour {self.flavour!r}: use iot-flow or dx-core.")
        if self.auth not in AUTH_MODES:
            raise ConfigError(f"Unknown auth {self.auth!r}: use oidc, dx-admin or token.")
        if self.auth == "token":
            if not self.token:
                raise ConfigError(
                    "auth = token needs a bearer token in IOTFLOW_TOKEN "
                    "(or the variable named by client_secret_env)."
                )
        elif not self.client_id or not self.client_secret:
            where = self.client_secret_env or "IOTFLOW_CLIENT_SECRET"
            missing, todo = [], []
            if not self.client_id:
                missing.append("client id")
                todo.append("set client_id (or IOTFLOW_CLIENT_ID)")
            if not self.client_secret:
                missing.append("secret")
                todo.append(f"put the secret in the environment variable {where}")
            raise ConfigError(
                f"Profile {self.name!r} has no {' and no '.join(missing)}: "
                f"{' and '.join(todo)}."
            )


_ENV = {
    "IOTFLOW_URL": "url",
    "IOTFLOW_TOKEN_URL": "token_url",
    "IOTFLOW_CLIENT_ID": "client_id",
    "IOTFLOW_FLAVOUR": "flavour",
    "IOTFLOW_FLAVOR": "flavour",
    "IOTFLOW_AUTH": "auth",
    "IOTFLOW_READ_ONLY": "read_only",
    "IOTFLOW_REFRESH": "refresh_interval",
    "IOTFLOW_LOSS_THRESHOLD": "loss_threshold",
    "IOTFLOW_CA_BUNDLE": "ca_bundle",
    "IOTFLOW_VERIFY_TLS": "verify_tls",
}
_FIELDS = {f.name: f for f in fields(Profile)}
_DERIVED = frozenset({"warnings", "read_only_from", "secret_from"})
"""Profile fields iotflow works out itself: never a setting, in a file or a flag."""


def _coerce(name: str, value: Any) -> Any:
    kind = type(getattr(Profile(), name))
    try:
        if kind is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("1", "true", "yes", "on"):
                return True
            if text in ("0", "false", "no", "off", ""):
                return False
            raise ValueError(value)
        if kind is float:
            return float(value)
        if kind is int:
            return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"Setting {name} = {value!r} is not a valid {kind.__name__}.") from None
    return str(value)


def _unreadable(path: Path, exc: Exception) -> ConfigError:
    """A config file that cannot be read or parsed: one sentence for both."""
    return ConfigError(f"Cannot read {path}: {exc}. Fix the file or move it away.")


def read_config_file(path: Path) -> tuple[dict[str, Any], list[str]]:
    """The parsed TOML file (empty when absent) and warnings about it."""
    if not path.exists():
        return {}, []
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _unreadable(path, exc) from exc
    data: dict[str, Any] = {}
    if text.strip():  # (an empty file, such as IOTFLOW_CONFIG=/dev/null, sets nothing)
        import tomllib

        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise _unreadable(path, exc) from exc
    warnings: list[str] = []
    mode = path.stat().st_mode
    # Only a regular file can be edited by someone else (``/dev/null`` is "no file").
    if stat.S_ISREG(mode) and _writable_by_others(path, mode):
        # Another user could point token_url at a server of theirs and collect the
        # secret, wherever it is kept: no secret is taken from such a file, and the
        # warning says so whether or not the file holds one.
        if _holds_secret(data):
            _drop_secrets(data)
        data[_UNSAFE_FILE] = True
        warnings.append(
            f"{path} can be changed by other users, who could redirect the token URL and "
            f"collect the secret: secrets in it are ignored. Run chmod 600 {path}"
        )
    elif _holds_secret(data) and mode & (stat.S_IRGRP | stat.S_IROTH):
        warnings.append(
            f"{path} holds a secret and can be read by other users: run chmod 600 {path}"
        )
    return data, warnings


_UNSAFE_FILE = "\0writable-by-others"
"""Marker left in the parsed file: load_profile then refuses secrets from anywhere."""


def _writable_by_others(path: Path, mode: int) -> bool:
    if mode & stat.S_IWOTH:
        return True
    # Group-writable matters only when the group has other members than the owner;
    # a per-user group (the usual default) is safe. Without knowing, warn.
    return bool(mode & stat.S_IWGRP) and not _private_group(path)


def _private_group(path: Path) -> bool:
    try:
        import grp
        import pwd

        info = path.stat()
        group = grp.getgrgid(info.st_gid)
        owner = pwd.getpwuid(info.st_uid)
    except (ImportError, KeyError, OSError):
        return False
    return group.gr_name == owner.pw_name and not group.gr_mem


def _drop_secrets(data: dict[str, Any]) -> None:
    for key in list(data):
        value = data[key]
        if key in ("client_secret", "token"):
            del data[key]
        elif isinstance(value, dict):
            _drop_secrets(value)


def _holds_secret(data: Mapping[str, Any]) -> bool:
    for key, value in data.items():
        if key in ("client_secret", "token") and value:
            return True
        if isinstance(value, Mapping) and _holds_secret(value):
            return True
    return False


def load_profile(
    flags: Mapping[str, Any] | None = None,
    *,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Profile:
    """The profile in force: flags over environment over file over defaults.

    ``flags`` may hold ``profile`` (a name in the file) and any Profile field except
    the secrets, which a flag never carries.
    """
    env = os.environ if env is None else env
    flags = {k: v for k, v in (flags or {}).items() if v is not None}
    for secret in ("client_secret", "token"):
        if secret in flags:
            raise ConfigError(f"{secret} cannot be given as a flag; use the environment.")
    data, warnings = read_config_file(path or config_path())
    unsafe_file = bool(data.pop(_UNSAFE_FILE, False))
    profiles = data.get("profiles", {})
    if not isinstance(profiles, Mapping):
        raise ConfigError("[profiles] in the config file must be a table of profiles.")
    name = flags.get("profile") or env.get("IOTFLOW_PROFILE") or data.get("default_profile")
    values: dict[str, Any] = {}
    if name:
        if name not in profiles:
            known = ", ".join(sorted(profiles)) or "none"
            raise ConfigError(f"No profile {name!r} in {path or config_path()} (known: {known}).")
        values.update(profiles[name])
        values["name"] = name
    for key in list(values):
        if key not in _FIELDS or key in _DERIVED:
            warnings.append(f"Unknown setting {key!r} in profile {name!r} is ignored.")
            del values[key]
    for var, key in _ENV.items():
        if env.get(var):
            values[key] = env[var]
    for key, value in flags.items():
        if key in _FIELDS and key not in _DERIVED:
            values[key] = value
    # Secrets: from the named variable, else the standard one, else the file.
    secret_env = str(values.get("client_secret_env") or "")
    key, standard = ("token", "IOTFLOW_TOKEN") if values.get("auth") == "token" else (
        "client_secret", "IOTFLOW_CLIENT_SECRET")
    for source in (secret_env, standard):
        if source and env.get(source):
            values[key], values["secret_from"] = env[source], source
            break
    else:
        values[key] = values.get(key, "")
        values["secret_from"] = "config file" if values[key] else ""
    if not values.get("auth") and env.get("IOTFLOW_TOKEN") and not values.get("client_id"):
        values["auth"] = "token"
        values["token"], values["secret_from"] = env["IOTFLOW_TOKEN"], "IOTFLOW_TOKEN"
    values["read_only_from"] = (
        "flag" if "read_only" in flags else "environment" if env.get("IOTFLOW_READ_ONLY")
        else "profile" if "read_only" in values else "")
    if unsafe_file and name and any(
        key in profiles[name] for key in ("url", "token_url")
    ) and (values.get("client_secret") or values.get("token")):
        # The file others can change decides where the secret goes: do not send it.
        raise ConfigError(
            f"Profile {name!r} takes its URL from {path or config_path()}, which other users "
            "can change, so iotflow will not send a secret there. Run chmod 600 on the "
            "file (and check its URLs), or give the URLs in the environment."
        )
    typed = {key: _coerce(key, value) for key, value in values.items()}
    if not typed.get("read_only"):
        typed["read_only_from"] = ""
    profile = Profile(**typed)
    warning = plain_http_warning(profile)
    if warning:
        warnings.append(warning)
    if profile.refresh_interval < MIN_REFRESH:
        warnings.append(f"refresh interval raised to the minimum of {MIN_REFRESH:g} s")
        profile = replace(profile, refresh_interval=MIN_REFRESH)
    return replace(profile, warnings=tuple(warnings))


def plain_http_warning(profile: Profile) -> str | None:
    """A sentence when the secret or tokens would cross the network unencrypted."""
    for label, url in (("API URL", profile.url), ("token URL", profile.token_url)):
        parts = urlsplit(url)
        if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
            return (
                f"The {label} {url} uses plain http:// to {parts.hostname}: tokens"
                + ("" if profile.auth == "token" else " and the client secret")
                + " cross the network unencrypted. Use https:// unless this is a lab."
            )
    return None


def history_file(profile: Profile) -> Path:
    """The observed state history the dashboard keeps for a profile's platform (``list``
    reads it for time in state and flags). One rule for both, so they never disagree;
    one file per platform (URL and flavour, see ``health.history_file_name``), so a
    profile pointed elsewhere does not inherit another platform's observed times."""
    from .health import history_file_name

    return state_dir() / history_file_name(profile.api_url, profile.flavour)


def load_keymap(path: Path | None = None) -> dict[str, str]:
    """Key remapping from the ``[keymap]`` table: binding id → keys, e.g.
    ``"dashboard.delete" = "ctrl+x"`` (``?`` in the dashboard lists every id)."""
    data, _warnings = read_config_file(path or config_path())
    table = data.get("keymap", {})
    if not isinstance(table, Mapping) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        raise ConfigError('[keymap] must map binding ids to keys, e.g. "dashboard.delete" = "x".')
    return dict(table)


def make_client(profile: Profile, **overrides: Any):  # -> IoTFlowClient
    """The API client a profile describes (imports httpx, never Textual)."""
    from .api import ClientCredentials, IoTFlowClient, StaticToken
    from .api.limits import Limits

    profile.check()
    auth: Any
    if profile.auth == "token":
        auth = StaticToken(profile.token)
    else:
        auth = ClientCredentials(
            profile.resolved_token_url,
            profile.client_id,
            profile.client_secret,
            style=profile.auth,
            validity_period=profile.validity_period or None,
            timeout=profile.timeout,
        )
    verify: bool | str = profile.ca_bundle or profile.verify_tls
    options: dict[str, Any] = {
        "flavour": profile.flavour,
        "read_only": profile.read_only,
        "timeout": profile.timeout,
        "page_size": profile.page_size or None,
        "verify": verify,
    }
    options["limits"] = Limits(
        max_body=int(profile.max_body_mb * 1024 * 1024), max_depth=max(profile.max_depth, 2)
    )
    options.update(overrides)
    return IoTFlowClient(profile.api_url, auth, **options)


__all__ = [
    "AUTH_MODES",
    "DX_CORE",
    "IOT_FLOW",
    "ConfigError",
    "Profile",
    "config_path",
    "history_file",
    "load_keymap",
    "load_profile",
    "make_client",
    "state_dir",
]
