"""The pytest wiring: hooks (the pytest11 entry point), options read once into the run's record,
targets, fixtures, outcomes. What the acceptance rules in tests/ use is exported here."""

from conversion_qa.plugin.lookups import utc_now
from conversion_qa.plugin.outcomes import require, warn
from conversion_qa.plugin.run import DnsTls

__all__ = ["DnsTls", "require", "utc_now", "warn"]
