"""Pure domain rules: plain values in, plain values out.

Nothing here imports Django's HTTP layer, django-ninja or Celery, so each rule can be read, changed
and unit-tested on its own.
"""
