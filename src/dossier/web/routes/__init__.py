"""Routes per resource: pages (list, map, timeline, search, queue, users), incidents,
documents, API."""
