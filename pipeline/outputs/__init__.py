"""Stage 5, answers written out: the --format/-o plumbing (output, table), export, plot, serve."""
