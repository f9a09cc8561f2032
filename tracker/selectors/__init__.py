"""Every read, one module per subject: each returns only what the given user may see, in a
fixed number of queries, as model instances or named rows (never positional tuples)."""
