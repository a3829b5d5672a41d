"""Stage 5, answers from the database: compare (and marks against the standards), trend, conflicts."""
