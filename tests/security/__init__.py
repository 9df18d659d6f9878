"""Attacks tried on Compact Tracker, kept closed for good (issue 14): one file per kind of hole."""
