"""Stage 2, file → text: normalisation (clean), the simplified reading (traditional), sentences, the jieba tokenizer (segment), Chinese numbers, character codes."""
