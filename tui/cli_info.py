"""``iotflow info``: where the settings come from, and the profile in force.

Headless and light: neither Textual nor httpx is imported (a test checks it), so it
answers at once on a monitoring host. The secret is never shown, only whether it is
there and where it was read (Profile.secret_from).
"""

from __future__ import annotations

from .config import Profile, config_path, state_dir

EXIT_OK = 0


def info(profile: Profile) -> int:
    """``iotflow info``: each setting in force and where it came from, the secret hidden."""
    path = config_path()
    print(f"config file   {path} ({'present' if path.exists() else 'absent'})")
    print(f"state dir     {state_dir()}")
    print(f"profile       {profile.name}")
    print(f"API URL       {profile.api_url or '(not set)'}")
    print(f"flavour       {profile.flavour}")
    print(f"auth          {profile.auth}")
    if profile.auth != "token":
        print(f"token URL     {profile.resolved_token_url if profile.url else '(not set)'}")
        print(f"client id     {profile.client_id or '(not set)'}")
        print(f"secret        {_secret_line(profile, profile.client_secret)}")
    else:
        print(f"token         {_secret_line(profile, profile.token)}")
    print(f"read-only     {_read_only_line(profile)}")
    print(f"refresh       {profile.refresh_interval:g} s")
    return EXIT_OK


def _read_only_line(profile: Profile) -> str:
    origin = {"flag": " (--read-only)", "environment": " (IOTFLOW_READ_ONLY)",
              "profile": " (the profile's read_only)"}.get(profile.read_only_from, "")
    return f"yes{origin}" if profile.read_only else "no"


def _secret_line(profile: Profile, secret: str) -> str:
    """Whether the secret is there and where it was read (never the secret itself)."""
    if secret:
        where = profile.secret_from
        return f"set (from {'the config file' if where == 'config file' else where})"
    standard = "IOTFLOW_TOKEN" if profile.auth == "token" else "IOTFLOW_CLIENT_SECRET"
    names = " or ".join(dict.fromkeys(n for n in (profile.client_secret_env, standard) if n))
    return f"missing (export {names}, or put it in the config file)"
