"""One module per rule of the checklist: its id, check, catalogue entry, items, the settings it
reads and its troubleshooting result (see docs/adding-a-rule.md)."""
