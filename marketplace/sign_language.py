"""German Sign Language (DGS) videos: what an upload must be.

Administrators upload each video with German captions (WebVTT) and a transcript; the
sign-language page plays them with the browser's own ``<video>`` and ``<track>``.
"""

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

VIDEO_CONTENT_TYPES = {"mp4": "video/mp4", "webm": "video/webm"}
CAPTIONS_CONTENT_TYPE = "text/vtt; charset=utf-8"
MAX_VIDEO_MEGABYTES = 200
MAX_CAPTIONS_MEGABYTES = 1
UPLOAD_DIRECTORY = "sign-language/"

video_extension = FileExtensionValidator(
    list(VIDEO_CONTENT_TYPES), _("Please upload the video as an MP4 or WebM file.")
)
captions_extension = FileExtensionValidator(
    ["vtt"], _("Please upload the captions as a WebVTT file (.vtt).")
)


def _stored_already(file) -> bool:
    """A file saved before (an edit that keeps it) was checked on its upload: not again,
    which would read it from storage on every save."""
    return getattr(file, "_committed", False)


def validate_video_size(file) -> None:
    if _stored_already(file):
        return
    if file.size > MAX_VIDEO_MEGABYTES * 1024 * 1024:
        raise ValidationError(
            _("The video file is larger than %(limit)s MB."),
            code="video_too_large",
            params={"limit": MAX_VIDEO_MEGABYTES},
        )


def validate_webvtt(file) -> None:
    """A WebVTT file: UTF-8 text that starts with "WEBVTT" (after an optional byte order mark)."""
    if _stored_already(file):
        return
    if file.size > MAX_CAPTIONS_MEGABYTES * 1024 * 1024:
        raise ValidationError(
            _("The captions file is larger than %(limit)s MB."),
            code="captions_too_large",
            params={"limit": MAX_CAPTIONS_MEGABYTES},
        )
    file.seek(0)
    content = file.read()
    file.seek(0)
    try:
        text = content.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = ""
    if not text.startswith("WEBVTT") or text[6:7] not in {"", " ", "\t", "\n", "\r"}:
        raise ValidationError(
            _('This is no WebVTT file: its first line must start with "WEBVTT".'),
            code="not_webvtt",
        )


class SignLanguageVideoQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class SignLanguageVideo(models.Model):
    """A video in German Sign Language (DGS) for the sign-language page (BITV 2.0 § 4)."""

    title_de = models.CharField(_("title (German)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    video = models.FileField(
        _("video file"),
        upload_to=UPLOAD_DIRECTORY,
        validators=[video_extension, validate_video_size],
        help_text=format_lazy(
            _("An MP4 or WebM file of at most {limit} MB."), limit=MAX_VIDEO_MEGABYTES
        ),
    )
    captions = models.FileField(
        _("captions (WebVTT)"),
        upload_to=UPLOAD_DIRECTORY,
        validators=[captions_extension, validate_webvtt],
        help_text=_(
            'German captions as a WebVTT file (.vtt, starting with "WEBVTT"), '
            "for people who do not know sign language."
        ),
    )
    transcript = models.TextField(
        _("transcript"),
        help_text=_(
            "Everything the video says, written out in German. It is shown below the video."
        ),
    )
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("The page shows the videos in ascending order.")
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Only published videos appear on the sign-language page."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    objects = SignLanguageVideoQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("sign-language video")
        verbose_name_plural = _("sign-language videos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(transcript=""), name="sign_language_video_has_transcript"
            )
        ]

    def __str__(self):
        return self.title_de

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "de").startswith("en") else self.title_de

    @property
    def video_content_type(self) -> str:
        extension = self.video.name.rsplit(".", 1)[-1].lower()
        return VIDEO_CONTENT_TYPES.get(extension, "application/octet-stream")


# --- The files outlive their rows unless removed -----------------------------------------
# A storage file is not part of the row: deleting a video, or uploading a new file in its
# place, would leave up to 200 MB on the disk for ever. The old file goes once the change
# is committed, so a change that is rolled back keeps its files.

FILE_FIELDS = ("video", "captions")


def _delete_after_commit(storage, name: str) -> None:
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def remove_files_of_deleted_video(sender, instance: SignLanguageVideo, **kwargs) -> None:
    for field in FILE_FIELDS:
        file = getattr(instance, field)
        _delete_after_commit(file.storage, file.name)


def remove_replaced_files(sender, instance: SignLanguageVideo, raw=False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    stored = SignLanguageVideo.objects.filter(pk=instance.pk).values(*FILE_FIELDS).first()
    if stored is None:
        return
    for field in FILE_FIELDS:
        if stored[field] != getattr(instance, field).name:
            _delete_after_commit(getattr(instance, field).storage, stored[field])
