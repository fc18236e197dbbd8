"""Linked data people can browse, cite and harvest.

``resources`` indexes the graph by resource (kind, label, page, what links to it); ``describe``
gives a resource's RDF description (its triples, the labels of what it links to, its evidence);
``pages`` gathers what a page shows and ``render`` writes it as HTML from ``templates/``;
``static`` writes the whole site into a folder (``socieux-kg site``); ``dereference`` answers a
request for a resource's IRI with content negotiation (``socieux-kg serve``); ``dataset`` describes
the dataset in DCAT-AP and VoID; ``tables`` writes the CSV tables with their CSV on the Web metadata.
"""
