"""Precedent's indexer: cuts policy documents along their own structure and indexes the passages."""
