"""Extraction: spaCy components and gazetteers that turn action texts into facts with evidence."""
