"""A new service's site folder, as ``hub init`` writes it.

Owns the answers a new service gives (:mod:`hub.scaffold.service`: its names,
address, languages, numbers and time zone, checked by the registry's own
rules), the files made from them (:mod:`hub.scaffold.files`: from the
templates in ``hub/scaffold/templates/``, shipped in the package), and the
line of ``requirements.txt`` that installs the hub in the site's workflows
(:mod:`hub.scaffold.requirement`).

Stands beside the flow, like the governance report: it may import the shared
modules, the registry (to check the answers) and the site stage (the
curation file's name); only the command line (``hub/cli/init.py``) imports
it, and nothing that builds a site imports it.
"""
