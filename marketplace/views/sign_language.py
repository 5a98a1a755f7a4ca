"""The German Sign Language page and the uploaded files it plays.

whitenoise serves static files only, so uploads are served here: a file of a published
video to everyone, of an unpublished one to administrators (who preview it in admin).
Browsers seek in a video with byte ranges (``Range: bytes=...``), answered with 206.
"""

import re

from django.db.models import Q
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from marketplace.sign_language import CAPTIONS_CONTENT_TYPE, SignLanguageVideo

CHUNK_BYTES = 64 * 1024
SINGLE_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


class UnsatisfiableRange(Exception):
    pass


@require_safe
def sign_language_page(request):
    videos = SignLanguageVideo.objects.published()
    return render(request, "pages/sign_language.html", {"videos": videos})


@require_safe
def media_file(request, name: str):
    video = _video_owning(request, name)
    field = video.video if video.video.name == name else video.captions
    content_type = video.video_content_type if field is video.video else CAPTIONS_CONTENT_TYPE
    try:
        size = field.size
    except FileNotFoundError:
        raise Http404 from None
    try:
        byte_range = requested_range(request.headers.get("Range", ""), size)
    except UnsatisfiableRange:
        refusal = HttpResponse(status=416)
        refusal["Content-Range"] = f"bytes */{size}"
        return refusal
    start, end = byte_range or (0, size - 1)
    response = StreamingHttpResponse(
        _read(field, start, end), status=206 if byte_range else 200, content_type=content_type
    )
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    if byte_range:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Cache-Control"] = "public, max-age=3600" if video.is_published else "private"
    return response


def _video_owning(request, name: str) -> SignLanguageVideo:
    videos = SignLanguageVideo.objects.filter(Q(video=name) | Q(captions=name))
    if not (request.user.is_authenticated and request.user.is_staff):
        videos = videos.published()
    video = videos.first()
    if video is None:
        raise Http404
    return video


def requested_range(header: str, size: int) -> tuple[int, int] | None:
    """The one byte range asked for, as (first, last) inclusive; None: the whole file.

    Several ranges, or a header that is no range, get the whole file (RFC 9110 allows
    that); a range that starts beyond the end cannot be satisfied.
    """
    match = SINGLE_RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":  # the last N bytes
        if int(last) == 0 or size == 0:
            raise UnsatisfiableRange
        return max(0, size - int(last)), size - 1
    start = int(first)
    if last != "" and int(last) < start:
        return None  # no valid range at all: the whole file
    if start >= size:
        raise UnsatisfiableRange
    return start, size - 1 if last == "" else min(int(last), size - 1)


def _read(field, start: int, end: int):
    with field.open("rb") as file:
        file.seek(start)
        remaining = end - start + 1
        while remaining > 0:
            chunk = file.read(min(CHUNK_BYTES, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
