"""A table as a file a user downloads (CSV or XLSX): headers and values in the user's language, or, with
``?variant=systeem``, the columns' stable keys and codes for a system that reads the file."""

from collections.abc import Callable, Iterable, Sequence

from django.http import Http404, HttpResponse

from regietafel.core.tables import FORMATS, Heading, write_table

# The query parameter and value that ask for the variant for systems.
VARIANT = "variant"
FOR_SYSTEMS = "systeem"


def for_systems(request) -> bool:
    return request.GET.get(VARIANT) == FOR_SYSTEMS


def table_download(
    request,
    *,
    filename: str,
    file_format: str,
    title: str,
    columns: Sequence[Heading],
    rows: Callable[[], Iterable[dict]],
) -> HttpResponse:
    """The response for a table download; ``rows`` is called only for a format the product writes."""
    if file_format not in FORMATS:
        raise Http404
    content = write_table(columns, rows(), file_format, title=str(title), for_systems=for_systems(request))
    return attachment(content, f"{filename}.{file_format}", FORMATS[file_format])


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
