"""``socieux-kg diff``: what changed between two builds. ``snapshot.py`` reads a build (an output
folder or a graph file) as the ``actions`` table and the evidence of its facts, ``compare.py``
pairs the actions of two builds and lists the facts each gained and lost, ``render.py`` writes
the result as Markdown or JSON, ``command.py`` is the command."""
