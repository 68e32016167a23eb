"""Checking and preparing uploaded photos and videos (and, where a caller allows them, PDF
documents) before anything is stored.

A file is judged by its content (magic bytes via `filetype`), never by its name or the
browser's content type. A request carries at most UPLOAD_MAX_FILES files and
UPLOAD_MAX_REQUEST_BYTES in all. A photo's pixel count is read from its header and refused
above UPLOAD_MAX_PIXELS before a single pixel is decoded (a 481 KB PNG may declare 169
megapixels); what passes is decoded completely and re-encoded with Pillow, which drops EXIF
(with any GPS position) and refuses truncated or corrupt images. Nothing here writes to
storage: the services save only files that all passed."""

import io
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image

from .choices import MediaKindChoices

__all__ = ["PreparedFile", "prepare_uploads", "max_bytes"]

# Sniffed MIME type -> (kind, extension, Pillow format for re-encoding photos)
ALLOWED = {
    "image/jpeg": (MediaKindChoices.PHOTO, "jpg", "JPEG"),
    "image/png": (MediaKindChoices.PHOTO, "png", "PNG"),
    "image/webp": (MediaKindChoices.PHOTO, "webp", "WEBP"),
    "video/mp4": (MediaKindChoices.VIDEO, "mp4", None),
    "video/quicktime": (MediaKindChoices.VIDEO, "mov", None),
    "video/webm": (MediaKindChoices.VIDEO, "webm", None),
}
# Accepted only where the caller asks for documents (a command post's materials, a request's papers).
# A PDF is stored as it came, and served only as a download (see inspections.views.media_response).
DOCUMENTS = {"application/pdf": (MediaKindChoices.DOCUMENT, "pdf", None)}
DEFAULT_LIMITS = {
    MediaKindChoices.PHOTO: 10 * 1024 * 1024,
    MediaKindChoices.VIDEO: 200 * 1024 * 1024,
    MediaKindChoices.DOCUMENT: 20 * 1024 * 1024,
}
SETTING_NAMES = {
    MediaKindChoices.PHOTO: "INSPECTIONS_MAX_PHOTO_BYTES",
    MediaKindChoices.VIDEO: "INSPECTIONS_MAX_VIDEO_BYTES",
    MediaKindChoices.DOCUMENT: "MAX_DOCUMENT_BYTES",
}
ORIENTATION = 0x0112  # the one EXIF tag kept: which way up the picture goes


def max_bytes(kind):
    return getattr(settings, SETTING_NAMES[kind], DEFAULT_LIMITS[kind])


def _check_header(upload, image):
    """Refuse from the header alone what would take too much memory to decode."""
    width, height = image.size
    limit = settings.UPLOAD_MAX_PIXELS
    if width * height > limit:
        raise _refused(
            upload,
            _("the photo is %(width)d × %(height)d pixels; at most %(limit)s megapixels are accepted.")
            % {"width": width, "height": height, "limit": f"{limit / 1_000_000:g}"},
        )


@dataclass
class PreparedFile:
    """A file that passed every check, ready to be saved under a name of our own."""

    content: File
    kind: str
    content_type: str
    size: int
    extension: str


def _refused(upload, message):
    name = getattr(upload, "name", "") or _("(unnamed file)")
    return ValidationError(_("%(name)s: %(reason)s") % {"name": name, "reason": message}, code="refused_file")


def _reencode(upload, pillow_format):
    """Decode the whole image and write it anew without its metadata; bytes of the result.

    Memory stays at one decoded copy: the picture is not turned upright (that would hold a
    second copy) but keeps only its EXIF orientation tag, and JPEG's own modes are kept as they are."""
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            _check_header(upload, probe)  # Image.open has read the header only
            probe.verify()  # structure and checksums, without decoding
        upload.seek(0)
        with Image.open(upload) as image:
            _check_header(upload, image)
            orientation = image.getexif().get(ORIENTATION)
            image.load()  # decodes every pixel: a truncated file raises here
            if pillow_format == "JPEG" and image.mode not in ("RGB", "L", "CMYK"):
                image = image.convert("RGB")
            out = io.BytesIO()
            # Only the orientation passes (no GPS, maker, ICC or text chunks): the file carries pixels.
            options = {"quality": 88} if pillow_format in ("JPEG", "WEBP") else {"compress_level": 6}
            if orientation and orientation != 1:
                exif = Image.Exif()
                exif[ORIENTATION] = orientation
                options["exif"] = exif
            image.save(out, format=pillow_format, **options)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise _refused(upload, _("the image is damaged or incomplete and cannot be read.")) from exc
    return out.getvalue()


def _prepare_one(upload, documents=False):
    size = getattr(upload, "size", None)
    if not size:
        raise _refused(upload, _("the file is empty."))
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guessed = filetype.guess(head)
    mime = guessed.mime if guessed else None
    allowed = {**ALLOWED, **DOCUMENTS} if documents else ALLOWED
    if mime not in allowed:
        if documents:
            raise _refused(
                upload,
                _(
                    "only photos (JPEG, PNG, WebP), videos (MP4, MOV, WebM) and PDF documents are accepted; "
                    "this file is not one."
                ),
            )
        raise _refused(
            upload, _("only photos (JPEG, PNG, WebP) and videos (MP4, MOV, WebM) are accepted; this file is not one.")
        )
    kind, extension, pillow_format = allowed[mime]
    limit = max_bytes(kind)
    if size > limit:
        raise _refused(
            upload,
            _("the %(kind)s is %(size)s; at most %(limit)s is accepted.")
            % {"kind": kind.label, "size": filesizeformat(size), "limit": filesizeformat(limit)},
        )
    if pillow_format:
        data = _reencode(upload, pillow_format)
        return PreparedFile(ContentFile(data), kind, mime, len(data), extension)
    return PreparedFile(File(upload), kind, mime, size, extension)


def prepare_uploads(uploads, *, documents=False):
    """Check every upload; return them prepared, or raise ValidationError on `files` naming each refused file.

    All or nothing: one refused file refuses the lot, before anything is stored. `documents`
    admits PDF documents besides photos and videos."""
    uploads = [u for u in uploads or [] if u]
    if len(uploads) > settings.UPLOAD_MAX_FILES:
        raise ValidationError(
            {"files": _("At most %(n)d files at a time.") % {"n": settings.UPLOAD_MAX_FILES}}, code="too_many_files"
        )
    total = sum(getattr(u, "size", 0) or 0 for u in uploads)
    if total > settings.UPLOAD_MAX_REQUEST_BYTES:
        raise ValidationError(
            {
                "files": _("These files come to %(size)s; at most %(limit)s can be sent at a time.")
                % {"size": filesizeformat(total), "limit": filesizeformat(settings.UPLOAD_MAX_REQUEST_BYTES)}
            },
            code="too_large_request",
        )
    prepared, errors = [], []
    for upload in uploads:
        try:
            prepared.append(_prepare_one(upload, documents))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        # Under the field the files came in, as a form or serializer error would be.
        raise ValidationError({"files": ValidationError(errors, code="refused_file")})
    return prepared
