"""Layout: content model -> reportlab flowables (headings kept with their text, lists, the warning
box) and the page templates that place them (frames, running header and footer)."""
