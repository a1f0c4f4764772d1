"""Unit tests: no screen is mounted."""
