"""SPARQL over the graph: named queries, the Oxigraph store, the endpoint, pushing to stores."""
