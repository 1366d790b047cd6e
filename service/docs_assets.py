"""/docs (Swagger UI) and /redoc (ReDoc) served with no network: their scripts and styles come from
the `fastapi-offline` package (MIT; it ships swagger-ui-bundle.js, swagger-ui.css and
redoc.standalone.js, whose own licences are noted in those files), mounted under /docs-assets.

FastAPI's defaults load these from a CDN (and ReDoc's fonts from Google), so a reader without
internet got a blank page; this is FastAPI's documented way to self-host them.
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"
# Everything from this server: nothing on these pages may reach another host (ReDoc's footer would
# load Redocly's logo from their CDN; the browser now refuses it without sending the request).
# FastAPI's pages start Swagger UI and ReDoc with an inline script, hence 'unsafe-inline' here only.
DOCS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
               "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
               "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")


def _offline(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = DOCS_POLICY
    return page


def assets_dir() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


def add_docs_routes(app: FastAPI, title: str) -> None:
    """Mount the assets and add /docs, its OAuth2 redirect and /redoc (the app was made with
    docs_url=None, redoc_url=None). URLs are relative to the app's root_path, as FastAPI's are."""
    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")
    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    def urls(request: Request) -> tuple[str, str, str]:
        """The app's root, the OpenAPI document and the assets folder, under the app's root_path."""
        base = request.scope.get("root_path", "").rstrip("/")
        return base, f"{base}{app.openapi_url}", f"{base}{ASSETS_URL}"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        base, spec, assets = urls(request)
        return _offline(get_swagger_ui_html(openapi_url=spec, title=f"{title} — API documentation",
                                            oauth2_redirect_url=f"{base}{oauth2_redirect}",
                                            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
                                            swagger_css_url=f"{assets}/swagger-ui.css",
                                            swagger_favicon_url=f"{assets}/favicon.png"))

    @app.get(oauth2_redirect, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        _, spec, assets = urls(request)
        return _offline(get_redoc_html(openapi_url=spec, title=f"{title} — API reference",
                                       redoc_js_url=f"{assets}/redoc.standalone.js",
                                       redoc_favicon_url=f"{assets}/favicon.png", with_google_fonts=False))
