"""Management review (ISO 9001 clause 9.3): meetings, the frozen input pack, outputs and minutes."""
