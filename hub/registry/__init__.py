"""The registry stage: ``sources.yaml`` in, a validated :class:`hub.model.Registry` out.

Owns the YAML reader that remembers positions (``yamlnodes``), the way a
format is declared (``spec``), the kinds of single values (``values``), the declared format itself and
its JSON Schema (``format``, ``sources.schema.json``), the composer of YAML
events into nodes (``composer``), loading (``load``), the rules that span the
document (``rules``, ``accounts``), and the platform table (``platforms``).

May import: the shared model (``hub.model``, ``hub.records``, ``hub.problems``).
"""
