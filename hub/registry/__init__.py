"""The registry stage: ``sources.yaml`` in, a validated :class:`hub.model.Registry` out.

Owns the YAML node tree that remembers positions (``yamlnodes``) and the
composer that builds it (``composer``), the way a format is declared
(``spec``) and the kinds of single values (``values``), the declared format
itself and its JSON Schema (``format``, ``sources.schema.json``), loading
(``load``), the rules that span the document (``rules``, ``accounts``), who
answers for each account (``admin``), and the platform table (``platforms``).

May import: the shared model (``hub.model``, ``hub.records``, ``hub.problems``).
"""
