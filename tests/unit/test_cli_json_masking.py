"""``list -o json`` masks with its own fast walk: it must mask exactly what
``secrets.mask_secrets`` masks, on generated configurations as on the catalogue's."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.cli_json import masked
from tui.secrets import MASK, mask_secrets

KEYS = st.sampled_from(["password", "url", "apiKey", "Authorization", "token", "name",
                        "clientSecret", "caCertificate", "certificate", "tokenUrl", "port",
                        "headers", "X-Api-Key", "nested", "sasKey", ""]) | st.text(max_size=10)
SCALARS = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
           | st.sampled_from(["", MASK, "s3cret", "x"]))
JSON = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(configuration=JSON)
def test_masked_is_mask_secrets(configuration: Any) -> None:
    before = copy.deepcopy(configuration)
    assert masked(configuration) == mask_secrets(configuration)
    assert configuration == before  # the server's value is never changed in place


def test_a_configuration_without_secrets_is_not_copied() -> None:
    plain = {"url": "https://h", "headers": [{"name": "Accept", "value": "json"}]}
    assert masked(plain) is plain
    secret = {"url": "https://h", "headers": {"Authorization": "Bearer abc"}}
    out = masked(secret)
    assert out["headers"]["Authorization"] == MASK and out["url"] == "https://h"
    assert secret["headers"]["Authorization"] == "Bearer abc"


def test_a_secret_the_server_masked_already_is_not_copied() -> None:
    sent = {"secretAccessKey": MASK, "region": "eu-west-1", "proxy": {"password": MASK}}
    assert masked(sent) is sent
    clear = {"secretAccessKey": MASK, "proxy": {"password": "hunter2"}}
    assert masked(clear) == {"secretAccessKey": MASK, "proxy": {"password": MASK}}
