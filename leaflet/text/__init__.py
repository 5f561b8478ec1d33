"""Text: the bundled fonts, which characters they cover, and inline runs turned into the text
fragments reportlab sets (the home of fallback, bidi, shaping and hyphenation as they arrive)."""
