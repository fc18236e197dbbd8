"""socieux-kg: a knowledge graph of SOCIEUX+ technical-cooperation actions, built from website text."""

__version__ = "0.1.0"
