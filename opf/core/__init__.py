"""The core: the framework every feature builds on, knowing no feature.

Generic pages (``ui``) and REST base (``rest``), records (``models``: versions, row
scoping; ``versioning``: versions and locks; ``workflow``: state machines;
``archive``; ``history``), who may do what (``roles``, ``permissions``), uploads and
exports, charts and statistics (``charts``, ``spc``), and the plug-in ``registry``
with the contracts features fill in (``dashboard``, ``reminders``, ``calendar``,
``documents``, ``navigation``, ``notices``). It imports only Django, libraries and
itself: import-linter's layers contract (``./dev lint``) keeps it so.
"""
