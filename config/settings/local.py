"""The embedded default: works on a fresh machine with no services."""

from .base import *  # noqa: F403
