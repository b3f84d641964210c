"""Putting generated files on disk: where they go (``locations``) and all-or-nothing writes (``atomic``)."""
from derive.output.atomic import check_output_directory, write_atomically
from derive.output.locations import (
    default_output_directory,
    installed_generated_directory,
    reference_directory,
)

__all__ = [
    "check_output_directory",
    "default_output_directory",
    "installed_generated_directory",
    "reference_directory",
    "write_atomically",
]
