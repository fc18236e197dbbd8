"""Facts to RDF and back out: IRIs and triples, serialisations, SHACL validation."""
