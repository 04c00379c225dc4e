"""Closing the ISO year: the yearly report, the conformity announcement and the inspection pack."""
