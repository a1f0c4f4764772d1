"""The fixed instant every simulator-backed test starts at."""

from datetime import UTC, datetime

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
"""The instant every simulator-backed test starts at; only ``sim_clock.advance`` moves it."""
