"""iCalendar export of meetings, with the icalendar library."""

from collections.abc import Iterable

from django.urls import reverse
from icalendar import Calendar, Event

from regietafel.meetings.models import Meeting


def to_ics(meetings: Iterable[Meeting], request) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Regietafel//regietafel//NL")
    calendar.add("version", "2.0")
    host = request.get_host()
    for meeting in meetings:
        event = Event()
        event.add("uid", f"meeting-{meeting.pk}@{host}")
        event.add("summary", f"{meeting.body}: {meeting.title}")
        event.add("dtstart", meeting.starts_at)
        event.add("dtend", meeting.ends_at or meeting.starts_at)
        event.add("dtstamp", meeting.starts_at)
        if meeting.place:
            event.add("location", meeting.place)
        event.add("url", request.build_absolute_uri(reverse("meetings:detail", args=[meeting.pk])))
        calendar.add_component(event)
    return calendar.to_ical()
