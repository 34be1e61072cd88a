"""The API's reference page (/api/v1/docs): public like the OpenAPI document, and everything it loads is ours."""

import re

from django.contrib.staticfiles import finders


def test_the_reference_page_is_public_and_loads_only_our_own_files(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-document="/api/v1/openapi.json"' in html
    loaded = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|svg))"', html)
    assert any(path.endswith("swagger-ui-bundle.js") for path in loaded)
    for path in loaded:
        assert path.startswith("/static/"), path  # no other host
        assert finders.find(path.removeprefix("/static/")), f"{path} is not a static file of ours"
