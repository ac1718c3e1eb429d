"""Running the pipeline beyond one process: on a Dask cluster (local or multi-machine).

``extract_many_dask`` has the contract of ``sahelwatch.pipeline.extract_many``: (document,
events) pairs, in input order, streamed as chunks finish.
"""
from __future__ import annotations

from sahelwatch.engine.dask import extract_many_dask

__all__ = ["extract_many_dask"]
