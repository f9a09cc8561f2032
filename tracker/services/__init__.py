"""Every write Hip2Knee makes, one module per subject: one function per action, keyword-only,
one transaction each, named entity-then-verb (``session_log``, ``reminder_update``).

A write that names an object by id reaches it through ``tracker.access``, so another user's id
is a 404. Services raise ``tracker.errors`` domain errors; the API maps each to its status once.
"""
