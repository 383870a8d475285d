"""Shared pytest setup: hypothesis profiles.

``dev`` (the default) keeps a local run quick; ``ci`` (selected by
``HYPOTHESIS_PROFILE=ci``, which ``.ci/run`` sets) tries more examples but is
sized so the whole suite stays well under three minutes on two cores.
"""
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dev", max_examples=15, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", max_examples=100, deadline=None, print_blob=True, derandomize=True,
    suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
