"""Pages of a list with links (HAL style ``_links``, and the same links in an RFC 8288 ``Link`` header)."""

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

LINK = {
    "type": "object",
    "nullable": True,
    "properties": {"href": {"type": "string", "format": "uri"}},
    "required": ["href"],
}


class Pagination(PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = 1000

    def _link(self, number: int | None) -> dict | None:
        if number is None:
            return None
        url = self.request.build_absolute_uri()
        if number == 1:
            return {"href": remove_query_param(url, self.page_query_param)}
        return {"href": replace_query_param(url, self.page_query_param, number)}

    def get_paginated_response(self, data):
        page = self.page
        links = {
            "self": self._link(page.number),
            "first": self._link(1),
            "prev": self._link(page.previous_page_number() if page.has_previous() else None),
            "next": self._link(page.next_page_number() if page.has_next() else None),
            "last": self._link(page.paginator.num_pages),
        }
        header = ", ".join(
            f'<{link["href"]}>; rel="{rel}"' for rel, link in links.items() if link is not None
        )
        return Response(
            {"_links": links, "count": page.paginator.count, "page": page.number, "results": data},
            headers={"Link": header},
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["_links", "count", "page", "results"],
            "properties": {
                "_links": {
                    "type": "object",
                    "required": ["self", "first", "prev", "next", "last"],
                    "properties": {rel: LINK for rel in ("self", "first", "prev", "next", "last")},
                },
                "count": {"type": "integer", "example": 11},
                "page": {"type": "integer", "example": 1},
                "results": schema,
            },
        }
