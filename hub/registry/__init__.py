"""The registry stage: ``sources.yaml`` in, a validated :class:`hub.model.Registry` out.

Owns the YAML node tree that remembers positions (``yamlnodes``) and the
composer that builds it (``composer``), the way a format is declared
(``spec``) and the kinds of single values (``values``), the declared format
itself and its JSON Schema (``format``, ``sources.schema.json``), loading
(``load``), the rules that span the document (``rules``, ``accounts``), who
answers for each account (``admin``), the platform table (``platforms``), and
how people write an account, reduced to keys (``spelling``).

Also the keys about reaching the service (``reach``), the pages' address words
in each language (``slugs``) and officers' ranks in each language (``ranks``).

May import: the shared model (``hub.model``, ``hub.contact``, ``hub.records``,
``hub.problems``).
"""
