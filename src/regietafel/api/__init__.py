"""The REST API (v1): conventions shared by every resource (NL GOV API Design Rules) and the URL table.

Each app keeps its resources in its own ``api.py`` (serializers and viewsets); this package holds what they share:
``viewsets`` (the one access path, filters, writes through the services), ``pagination``, ``problems``
(RFC 9457 errors), ``middleware`` (the ``API-Version`` header, problem responses outside DRF) and ``urls``.
"""
