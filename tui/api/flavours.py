"""The two API flavours and where each lives under a platform's URL (no HTTP needed)."""

from __future__ import annotations

IOT_FLOW = "iot-flow"
DX_CORE = "dx-core"
FLAVOURS = (IOT_FLOW, DX_CORE)
API_PREFIX = {IOT_FLOW: "/iot-flow/v1", DX_CORE: "/thingpark/dx/core/latest/api"}
DX_CORE_PAGE = 100
"""DX Core pages hold at most 100 connections (a public CLI assumes the same)."""
