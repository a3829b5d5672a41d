"""Stage 3, what a text says about itself: title, date, issuer, balance stage (fields) and its kind (doc_type)."""
