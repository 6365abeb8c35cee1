"""conversion-qa: acceptance suite for upgrading utility billers from S&S enQuesta v4 to v6."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("conversion-qa")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
