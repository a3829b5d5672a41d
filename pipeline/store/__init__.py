"""Stage 4, the database: writes and corrections (database), schema migrations, the search index and query language (search, tokens), check and reprocess."""
