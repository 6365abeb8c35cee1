"""Biller files: read, validate against the schema, interpolate secrets, build the model."""

from conversion_qa.config.loader import available_billers, load_biller, load_billers
from conversion_qa.config.model import Biller, Environment

__all__ = ["Biller", "Environment", "available_billers", "load_biller", "load_billers"]
