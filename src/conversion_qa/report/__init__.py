"""Sign-off reports: every run archived per biller and conversion, for a PM and for machines."""
