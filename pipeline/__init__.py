"""junheng (均衡): Chinese county education reports in, a comparison database out.

Stages, one folder each and one way down: ingest (file) → text → metadata, regions, figures,
measures (what it says) → store (database) → analysis, outputs (answers); evaluation scores
them against gold.
"""
