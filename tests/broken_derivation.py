"""A derivation whose claim fails (for tests that nothing gets written)."""
from tiny_derivations import TITLE  # noqa: F401
from tiny_derivations import build as _build

OPTIONS: dict = {}


def build():
    return _build(scale=3, broken=True)
