"""Stage 3, the measures a text reports: the lexicon baseline and the classifier (tagger), its artifact (model, linear), training (train, dev)."""
