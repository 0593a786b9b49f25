"""API views: parse the request, call an access_* function and one service or selector, serialize."""
