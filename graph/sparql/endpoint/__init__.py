"""``socieux-kg serve``: a read-only SPARQL 1.1 endpoint over the graph, with a query page.

* ``guard.py`` decides what a request is from a real SPARQL parse (updates, LOAD, SERVICE refused);
* ``answers.py`` writes an answer in a worker: content negotiation and Oxigraph's serialisers;
* ``pool.py`` runs the workers (processes holding the store) under the time limit;
* ``app.py`` is the HTTP side: routes, the SPARQL 1.1 Protocol, CORS, the service description, and
  the waitress server with its connection cap, read timeouts and body cap;
* ``page.py`` is the query page (``/``).
"""
