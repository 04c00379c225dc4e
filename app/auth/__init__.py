"""Accounts, units, roles and permissions."""
