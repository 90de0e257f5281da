"""One check for every uploaded file: its size, its extension and its content.

A file is refused when it is larger than the limit (a setting, read when the
file is checked), when its name does not end with an allowed extension, or when
its content is not what the extension says: text (CSV, TXT, MD, JSON, SVG) must
be UTF-8 without NUL bytes (and JSON must parse, and an SVG must be an inert
image: ``opf.core.svg``), a PDF starts with ``%PDF-``,
images with their magic number, ZIP and office files (DOCX, XLSX, ODT, …) are
ZIP archives. Forms call ``validate_upload`` (or use ``UploadValidator`` as a
field or model validator); ``read_text`` gives a checked text file's content.

An uploaded file goes back to users through ``serve_upload`` only: always a
download, and sandboxed should a browser open it anyway.

Every import (the CSV imports, reference models) has one size limit, the
``OPF_IMPORT_MAX_BYTES`` setting, read by ``import_max_bytes`` only: its files
are checked with ``validate_import`` (``ImportValidator`` as a field validator).
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

from opf.core.svg import svg_problem

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
TEXT_ENCODING = "utf-8-sig"  # UTF-8, with or without a byte-order mark

TEXT_EXTENSIONS = frozenset({"csv", "txt", "md", "json", "svg"})
ZIP_EXTENSIONS = frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp"})
MAGIC: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "gif": (b"GIF87a", b"GIF89a"),
    "webp": (b"RIFF",),
}
CHECKED_EXTENSIONS = TEXT_EXTENSIONS | ZIP_EXTENSIONS | frozenset(MAGIC)


def max_bytes(setting: str, default: int = DEFAULT_MAX_BYTES) -> int:
    """The size limit named by ``setting`` (read now, so tests and admins may change it)."""
    return int(getattr(settings, setting, default))


def import_max_bytes() -> int:
    """The size limit of every import: ``OPF_IMPORT_MAX_BYTES`` (2 MB unless the
    environment says otherwise), read now and here only."""
    return int(settings.OPF_IMPORT_MAX_BYTES)


def too_large(size: int, limit: int) -> str:
    """The message for a file of ``size`` bytes over its ``limit``."""
    return _("The file is %(size)s; the limit is %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_all(upload: Any) -> bytes:
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    return content if isinstance(content, bytes) else content.encode()


def _head(upload: Any, size: int = 16) -> bytes:
    upload.seek(0)
    head = upload.read(size)
    upload.seek(0)
    return head if isinstance(head, bytes) else head.encode()


def content_error(upload: Any, extension: str) -> str | None:
    """Why the content does not match the extension, or None."""
    if extension in TEXT_EXTENSIONS:
        raw = _read_all(upload)
        if b"\x00" in raw:
            return _("The file contains NUL bytes: it is not a text file.")
        try:
            text = raw.decode(TEXT_ENCODING)
        except UnicodeDecodeError:
            return _("The file is not UTF-8 text.")
        if extension == "json":
            try:
                json.loads(text)
            except ValueError as error:
                return _("The file is not valid JSON: %(error)s") % {"error": error}
        if extension == "svg":
            return svg_problem(text)
        return None
    if extension in ZIP_EXTENSIONS:
        upload.seek(0)
        try:
            ok = _head(upload, 4) in (b"PK\x03\x04", b"PK\x05\x06") and zipfile.is_zipfile(upload)
        finally:
            upload.seek(0)
        return None if ok else _("The file is not a valid %(kind)s file.") % {"kind": extension}
    if extension in MAGIC:
        head = _head(upload)
        if not head.startswith(MAGIC[extension]):
            return _("The file is not a valid %(kind)s file.") % {"kind": extension}
    return None


def validate_upload(
    upload: Any,
    *,
    extensions: Iterable[str],
    limit_setting: str = "OPF_UPLOAD_MAX_BYTES",
    default_limit: int = DEFAULT_MAX_BYTES,
    limit: int | None = None,
) -> None:
    """Raise ``ValidationError`` (all the reasons) unless the file is acceptable;
    ``limit`` (bytes), when given, replaces the one ``limit_setting`` names."""
    allowed = sorted({e.lower().lstrip(".") for e in extensions})
    errors: list[ValidationError] = []
    if limit is None:
        limit = max_bytes(limit_setting, default_limit)
    size = getattr(upload, "size", None) or 0
    if size > limit:
        errors.append(ValidationError(too_large(size, limit), code="file_too_large"))
    extension = extension_of(getattr(upload, "name", "") or "")
    if extension not in allowed:
        errors.append(
            ValidationError(
                _("Upload a file ending in %(allowed)s.")
                % {"allowed": ", ".join(f".{e}" for e in allowed)},
                code="invalid_extension",
            )
        )
    elif not errors:
        problem = content_error(upload, extension)
        if problem:
            errors.append(ValidationError(problem, code="invalid_content"))
    if errors:
        raise ValidationError(errors)


@deconstructible
class UploadValidator:
    """``validate_upload`` as a form, serializer or model field validator."""

    def __init__(
        self,
        extensions: Iterable[str],
        limit_setting: str = "OPF_UPLOAD_MAX_BYTES",
        default_limit: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.extensions = tuple(sorted({e.lower().lstrip(".") for e in extensions}))
        self.limit_setting = limit_setting
        self.default_limit = default_limit

    def __call__(self, upload: Any) -> None:
        # A stored file being re-validated (a model saved again) is not re-read.
        if getattr(upload, "_committed", False) is True and not hasattr(upload, "content_type"):
            return
        validate_upload(
            upload,
            extensions=self.extensions,
            limit_setting=self.limit_setting,
            default_limit=self.default_limit,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UploadValidator) and (
            self.extensions,
            self.limit_setting,
            self.default_limit,
        ) == (other.extensions, other.limit_setting, other.default_limit)

    def __hash__(self) -> int:
        return hash((self.extensions, self.limit_setting, self.default_limit))


def validate_import(upload: Any, *, extensions: Iterable[str] = ("csv",)) -> None:
    """``validate_upload`` for a file to import: at most ``import_max_bytes()``."""
    validate_upload(upload, extensions=extensions, limit=import_max_bytes())


@deconstructible
class ImportValidator:
    """``validate_import`` as a form or serializer field validator."""

    def __init__(self, extensions: Iterable[str] = ("csv",)) -> None:
        self.extensions = tuple(sorted({e.lower().lstrip(".") for e in extensions}))

    def __call__(self, upload: Any) -> None:
        validate_import(upload, extensions=self.extensions)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ImportValidator) and self.extensions == other.extensions

    def __hash__(self) -> int:
        return hash((ImportValidator, self.extensions))


def read_text(upload: Any) -> str:
    """A checked text file's content (UTF-8, a byte-order mark dropped)."""
    return _read_all(upload).decode(TEXT_ENCODING)


@deconstructible
class ContentValidator:
    """Only the content check, for a field that checks size and extension itself
    (``AssetVersion.file``: ``FileExtensionValidator`` and ``MaxUploadSize``)."""

    def __call__(self, upload: Any) -> None:
        if getattr(upload, "_committed", False) is True and not hasattr(upload, "content_type"):
            return
        problem = content_error(upload, extension_of(getattr(upload, "name", "") or ""))
        if problem:
            raise ValidationError(problem, code="invalid_content")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ContentValidator)

    def __hash__(self) -> int:
        return hash(ContentValidator)


# The policy of a served upload: no script, no plugin, no request, its own origin.
SANDBOX_POLICY = "sandbox; default-src 'none'"


def serve_upload(file: File, name: str | None = None) -> FileResponse:
    """An uploaded ``file`` (a ``FieldFile``) for a user the caller has checked:
    ``Content-Disposition: attachment`` (saved, never shown in the page's origin)
    under ``name`` (default: the stored name without its folders), and
    ``Content-Security-Policy: sandbox`` so that, opened anyway (an SVG or HTML
    file), it runs nothing and loads nothing. The site-wide policy
    (django-csp) leaves a response's own policy in place."""
    filename = name or PurePath(file.name or "download").name
    response = FileResponse(file.open("rb"), as_attachment=True, filename=filename)
    response["Content-Security-Policy"] = SANDBOX_POLICY
    return response
