"""The append-only, hash-chained audit log and the committee's history views."""
