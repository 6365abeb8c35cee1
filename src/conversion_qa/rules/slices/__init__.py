"""One module per rule of the checklist: its id, check, catalogue entry, items, the settings it
reads, its troubleshooting result and its sandbox faults (see docs/adding-a-rule.md)."""
