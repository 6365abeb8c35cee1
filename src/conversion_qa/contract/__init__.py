"""The adapter contract: the S&S and portal shapes the suite ASSUMES (S&S publishes none).

Every path, field and status here is an assumption documented in docs/contract.md. Replacing it
with S&S's real contract means editing this package (and its schemas/) alone.
"""
