"""Precedent's service: the search engine core, the HTTP API and the web page."""
