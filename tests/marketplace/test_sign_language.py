"""German Sign Language (issue 18, item 7): videos uploaded in admin, played on /sign-language/
with the browser's own <video> and <track>, linked from the header beside Easy Language."""

import re

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.files.uploadedfile import SimpleUploadedFile

from marketplace import sign_language
from marketplace.models import SignLanguageVideo
from marketplace.views.sign_language import UnsatisfiableRange, requested_range
from tests.factories import (
    MP4_SAMPLE,
    WEBVTT_SAMPLE,
    AdminFactory,
    CitizenFactory,
    SignLanguageVideoFactory,
)

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
ADD_URL = "/admin/marketplace/signlanguagevideo/add/"


@pytest.fixture
def admin_client(client, db):
    user = AdminFactory()
    TOTP.activate(user, generate_totp_secret())
    client.force_login(user)
    return client


def upload(**overrides):
    data = {
        "title_de": "Willkommen",
        "title_en": "Welcome",
        "video": SimpleUploadedFile("willkommen.mp4", MP4_SAMPLE, content_type="video/mp4"),
        "captions": SimpleUploadedFile("willkommen.vtt", WEBVTT_SAMPLE, content_type="text/vtt"),
        "transcript": "Willkommen beim Projektmarktplatz.",
        "position": "1",
        "is_published": "on",
    }
    return {**data, **overrides}


def test_an_administrator_uploads_a_video_with_captions_and_transcript(admin_client):
    response = admin_client.post(ADD_URL, upload(), **GERMAN)
    assert response.status_code == 302, response.content.decode()[:2000]
    video = SignLanguageVideo.objects.get()
    assert video.title_de == "Willkommen" and video.is_published
    assert video.video.name.startswith("sign-language/") and video.video.name.endswith(".mp4")
    assert video.captions.read() == WEBVTT_SAMPLE
    assert video.transcript == "Willkommen beim Projektmarktplatz."


def test_the_add_form_explains_its_fields_in_german(admin_client):
    page = admin_client.get(ADD_URL, **GERMAN).content.decode()
    assert "Videodatei" in page
    assert "Untertitel (WebVTT)" in page
    assert "MP4- oder WebM-Datei" in page


@pytest.mark.parametrize(
    "overrides, message",
    [
        (
            {"video": SimpleUploadedFile("willkommen.avi", MP4_SAMPLE)},
            "Bitte laden Sie das Video als MP4- oder WebM-Datei hoch.",
        ),
        (
            {
                "captions": SimpleUploadedFile(
                    "willkommen.vtt", b"1\n00:00:00,000 --> 00:00:02,000\n"
                )
            },
            "Das ist keine WebVTT-Datei",
        ),
        (
            {"captions": SimpleUploadedFile("willkommen.srt", WEBVTT_SAMPLE)},
            "Bitte laden Sie die Untertitel als WebVTT-Datei (.vtt) hoch.",
        ),
        ({"transcript": "   "}, "Dieses Feld ist zwingend erforderlich."),
    ],
    ids=[
        "wrong video extension",
        "captions not WebVTT",
        "wrong captions extension",
        "no transcript",
    ],
)
def test_a_bad_upload_is_refused_with_a_form_error(admin_client, overrides, message):
    response = admin_client.post(ADD_URL, upload(**overrides), **GERMAN)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not SignLanguageVideo.objects.exists()


def test_a_video_over_the_size_limit_is_refused(admin_client, monkeypatch):
    monkeypatch.setattr(sign_language, "MAX_VIDEO_MEGABYTES", 0)
    response = admin_client.post(ADD_URL, upload(), **GERMAN)
    assert response.status_code == 422
    assert "Die Videodatei ist größer als 0 MB." in response.content.decode()


@pytest.mark.parametrize(
    "content, valid",
    [
        (b"WEBVTT\n\n", True),
        (b"WEBVTT", True),
        (b"\xef\xbb\xbfWEBVTT - Projektmarktplatz\n", True),
        (b"WEBVTTX\n", False),
        (b"webvtt\n", False),
        (b"\xff\xfeW\x00E\x00", False),
        (b"", False),
    ],
)
def test_captions_must_start_with_webvtt(content, valid):
    from django.core.exceptions import ValidationError

    file = SimpleUploadedFile("c.vtt", content)
    if valid:
        sign_language.validate_webvtt(file)
    else:
        with pytest.raises(ValidationError):
            sign_language.validate_webvtt(file)


@pytest.mark.django_db
def test_without_videos_the_page_says_so_plainly(client):
    SignLanguageVideoFactory(is_published=False)  # not yet for the public
    page = client.get("/sign-language/", **GERMAN).content.decode()
    assert "Hier gibt es noch keine Videos in Deutscher Gebärdensprache." in page
    assert 'href="/easy-language/"' in page and "mailto:kontakt@example.org" in page
    assert "<video" not in page


@pytest.mark.django_db
def test_the_page_plays_each_published_video_with_captions_and_transcript(client):
    second = SignLanguageVideoFactory(position=2, title_de="Zweites Video")
    first = SignLanguageVideoFactory(position=1, title_de="Erstes Video")
    page = client.get("/sign-language/", **GERMAN).content.decode()
    assert page.index("Erstes Video") < page.index("Zweites Video")
    for video in (first, second):
        assert f'<source src="{video.video.url}" type="video/mp4">' in page
        assert (
            f'<track kind="captions" srclang="de" label="Deutsch" src="{video.captions.url}" default>'
        ) in page
    assert page.count('<video controls preload="metadata">') == 2
    assert page.count("<figure>") == 2
    assert "<p>Willkommen beim Projektmarktplatz.</p>" in page  # the transcript
    assert "noch keine Videos" not in page


@pytest.mark.django_db
def test_the_english_page_shows_english_titles_and_marks_the_german_transcript(client):
    SignLanguageVideoFactory(title_en="Welcome video")
    page = client.get("/sign-language/", **ENGLISH).content.decode()
    assert "Information in German Sign Language (DGS)" in page
    assert "Welcome video" in page
    assert '<div lang="de"><p>Willkommen' in page


@pytest.mark.django_db
def test_the_german_word_leads_to_the_page(client):
    response = client.get("/gebaerdensprache/")
    assert response.status_code == 301 and response["Location"] == "/sign-language/"


@pytest.mark.django_db
@pytest.mark.parametrize("language", [GERMAN, ENGLISH], ids=["de", "en"])
def test_the_header_links_easy_language_and_sign_language_in_german(client, language):
    page = client.get("/", **language).content.decode()
    header = page.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    assert '<a href="/easy-language/" lang="de">Leichte Sprache</a>' in header
    assert '<a href="/sign-language/" lang="de">Gebärdensprache</a>' in header
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert '<a href="/sign-language/" lang="de">Deutsche Gebärdensprache (DGS)</a>' in footer
    sign_page = client.get("/sign-language/", **language).content.decode()
    assert re.search(r'<a href="/sign-language/" lang="de" aria-current="page">', sign_page)


# --- The files ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_files_of_a_published_video_are_served_with_their_content_types(client):
    video = SignLanguageVideoFactory()
    response = client.get(video.video.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(MP4_SAMPLE))
    assert b"".join(response.streaming_content) == MP4_SAMPLE
    captions = client.get(video.captions.url)
    assert captions["Content-Type"] == "text/vtt; charset=utf-8"
    assert b"".join(captions.streaming_content) == WEBVTT_SAMPLE


@pytest.mark.django_db
def test_a_byte_range_is_answered_with_206_so_the_player_can_seek(client):
    video = SignLanguageVideoFactory()
    response = client.get(video.video.url, HTTP_RANGE="bytes=100-199")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 100-199/{len(MP4_SAMPLE)}"
    assert response["Content-Length"] == "100"
    assert b"".join(response.streaming_content) == MP4_SAMPLE[100:200]
    tail = client.get(video.video.url, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == MP4_SAMPLE[-10:]
    beyond = client.get(video.video.url, HTTP_RANGE=f"bytes={len(MP4_SAMPLE)}-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == f"bytes */{len(MP4_SAMPLE)}"


@pytest.mark.parametrize(
    "header, expected",
    [
        ("", None),
        ("bytes=0-", (0, 999)),
        ("bytes=10-20", (10, 20)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=0-1,5-6", None),  # several ranges: the whole file
        ("bytes=20-10", None),  # no valid range
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_requested_range(header, expected):
    assert requested_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=-0"])
def test_an_unsatisfiable_range(header):
    with pytest.raises(UnsatisfiableRange):
        requested_range(header, 1000)


@pytest.mark.django_db
def test_files_of_an_unpublished_video_are_for_administrators_only(client):
    video = SignLanguageVideoFactory(is_published=False)
    assert client.get(video.video.url).status_code == 404
    client.force_login(CitizenFactory())
    assert client.get(video.captions.url).status_code == 404
    administrator = AdminFactory()
    TOTP.activate(administrator, generate_totp_secret())
    client.force_login(administrator)
    assert client.get(video.video.url).status_code == 200


@pytest.mark.django_db
def test_no_other_path_under_media_is_served(client):
    SignLanguageVideoFactory()
    assert client.get("/media/sign-language/other.mp4").status_code == 404
    assert client.get("/media/../config/settings.py").status_code == 404


def test_an_edit_keeps_the_stored_files_without_reading_them_again(admin_client):
    video = SignLanguageVideoFactory(title_de="Alt")
    video.captions.storage.delete(video.captions.name)  # had it been read, this would fail
    data = upload(title_de="Neu")
    del data["video"], data["captions"]
    response = admin_client.post(
        f"/admin/marketplace/signlanguagevideo/{video.pk}/change/", data, **GERMAN
    )
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.title_de == "Neu"


# --- Files go with their rows -----------------------------------------------------------


def stored(file_name: str) -> bool:
    return sign_language.SignLanguageVideo.video.field.storage.exists(file_name)


def test_deleting_a_video_in_admin_removes_its_files(
    admin_client, django_capture_on_commit_callbacks
):
    video = SignLanguageVideoFactory()
    names = [video.video.name, video.captions.name]
    assert all(stored(name) for name in names)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/marketplace/signlanguagevideo/{video.pk}/delete/", {"post": "yes"}, **GERMAN
        )
    assert response.status_code == 302
    assert not SignLanguageVideo.objects.exists()
    assert not any(stored(name) for name in names)


def test_the_admin_delete_action_removes_the_files_of_every_chosen_video(
    admin_client, django_capture_on_commit_callbacks
):
    videos = SignLanguageVideoFactory.create_batch(2)
    names = [video.video.name for video in videos] + [video.captions.name for video in videos]
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/marketplace/signlanguagevideo/",
            {
                "action": "delete_selected",
                "_selected_action": [video.pk for video in videos],
                "post": "yes",
            },
            **GERMAN,
        )
    assert response.status_code == 302
    assert not any(stored(name) for name in names)


def test_a_new_upload_in_place_of_a_file_removes_the_old_one(
    admin_client, django_capture_on_commit_callbacks
):
    video = SignLanguageVideoFactory()
    old_video, old_captions = video.video.name, video.captions.name
    data = upload()
    del data["captions"]  # the captions stay
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/marketplace/signlanguagevideo/{video.pk}/change/", data, **GERMAN
        )
    assert response.status_code == 302
    video.refresh_from_db()
    assert video.video.name != old_video and stored(video.video.name)
    assert not stored(old_video)
    assert video.captions.name == old_captions and stored(old_captions)


@pytest.mark.django_db
def test_a_deletion_that_is_rolled_back_keeps_the_files(django_capture_on_commit_callbacks):
    from django.db import transaction

    video = SignLanguageVideoFactory()
    video_id = video.pk
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        video.delete()
        raise RuntimeError("the change fails")
    assert callbacks == []
    assert stored(video.video.name) and stored(video.captions.name)
    assert SignLanguageVideo.objects.filter(pk=video_id).exists()
