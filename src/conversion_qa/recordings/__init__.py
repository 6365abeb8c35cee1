"""Recorded answers of the DNS and TLS rules, read offline and written by --record-fixtures."""
