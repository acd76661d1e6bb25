"""Published endpoints: a workflow (a chosen version, or its latest) served at ``/run/<slug>``.

``models`` (Endpoint, EndpointApiKey), ``services`` (publish, change, unpublish, keys),
``selectors`` (who sees what; the invocation's cached view of an endpoint), ``invocation``
(the request -> execution -> response core, framework-free), ``asgi`` (the fast path the
server mounts before Django) and ``views`` (the same core as Django views).
"""
