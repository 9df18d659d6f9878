"""Reporting periods, briefings and progress reports live here (see docs/architecture.md)."""
