"""Reading inputs into Documents: files, directories, HTML pages, JSON Lines, standard input."""
from sahelwatch.ingest.files import InputError, read_inputs

__all__ = ["InputError", "read_inputs"]
