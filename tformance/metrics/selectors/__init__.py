"""Reads behind the dashboard. Every function takes `MetricFilters` (which carries the
team), aggregates in SQL and returns plain dicts and lists ready for a template."""
