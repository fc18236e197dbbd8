"""The network: projections of the graph, analytics, interactive pages, Gephi files, statistics."""
