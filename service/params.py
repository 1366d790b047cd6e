"""A GET route's query parameters: the ones it takes, and a 422 for any other (shared by the
API's routes and the page image's route)."""
from __future__ import annotations

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError


def only_parameters(*names: str):
    """A GET route's dependency: a query parameter it does not take is a 422 naming the valid
    ones, as /search's model answers (/ask had run "mode=dense" as hybrid, saying nothing)."""
    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - set(names))
        if unknown:
            raise RequestValidationError([{
                "type": "extra_forbidden", "loc": ("query", name), "input": request.query_params[name],
                "msg": f"unknown parameter; valid parameters: {', '.join(names) or 'none (this route takes no parameter)'}"}
                for name in unknown])
    return Depends(check)
