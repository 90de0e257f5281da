"""The REST API's base: viewsets, serializers, permissions, filters, pagination,
throttling, ETag preconditions, the schema and the one exception handler."""
