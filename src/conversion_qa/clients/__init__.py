"""One client per service the rules talk to."""
