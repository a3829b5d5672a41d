"""Stage 3, what a text says in numbers: quantities, their context, relations, tables and the cue lexicon; `extract.extract_figures` reads them all."""
