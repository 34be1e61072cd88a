"""The search box's page: results the user may see, grouped by what they are."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from regietafel.search.index import search

MAX_QUERY = 200


@require_GET
def results(request):
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    found = search(query, request.user) if query else []
    return render(request, "search/results.html", {"query": query, "results": found})
