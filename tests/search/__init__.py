"""Tests for app.search."""
