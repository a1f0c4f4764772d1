"""Screen tests: Pilot and SVG snapshots."""
