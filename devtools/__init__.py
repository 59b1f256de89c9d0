"""Tools for olap's developers, not shipped: the JSON Schemas and docs/cli.md are made here."""
