"""Uploads are limited by size, extension and content (#9, point 2): every upload
(reference model import, findings and measurement CSV imports, asset version
files) goes through ``opf.core.uploads``; a file too big, with a wrong extension, or
whose content is not what its extension says is refused with a message, and
nothing is saved."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from appraisals.models import Finding
from deployment.models import AssetVersion
from lessons.models import Measurement
from opf.core.uploads import ContentValidator, UploadValidator, validate_upload
from opf.reference.models import ReferenceModel
from tests.deployment.factories import ProcessAssetFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import MeasureFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


# --- the validator -----------------------------------------------------------------------

GOOD = {
    "a.csv": b"a,b\n1,2\n",
    "a.txt": "caf\u00e9\n".encode(),
    "a.md": b"# Title\n",
    "a.json": b'{"a": 1}',
    "a.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
    "a.pdf": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "a.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    "a.jpg": b"\xff\xd8\xff\xe0\x00\x10JFIF",
    "a.zip": zip_bytes(),
    "a.docx": zip_bytes(),
    "a.xlsx": zip_bytes(),
}
BAD_CONTENT = {
    "nul.csv": b"a,b\n1,\x002\n",
    "latin1.csv": "caf\u00e9".encode("latin-1"),
    "broken.json": b'{"a": ',
    "script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "handler.svg": b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    "not-svg.svg": b"<html></html>",
    "prefixed-script.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script></svg>',
    "entity-link.svg": b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript&#58;alert(1)"><rect/></a></svg>',
    "exe.pdf": b"MZ\x90\x00\x03",
    "text.png": b"hello",
    "text.jpg": b"hello",
    "text.zip": b"hello",
    "pdf.docx": b"%PDF-1.4\n",
    "truncated.xlsx": b"PK\x03\x04garbage",
}
EVERY = ("csv", "txt", "md", "json", "svg", "pdf", "png", "jpg", "zip", "docx", "xlsx")


@pytest.mark.parametrize("name", sorted(GOOD))
def test_a_good_file_passes(name: str):
    validate_upload(upload(name, GOOD[name]), extensions=EVERY)


@pytest.mark.parametrize("name", sorted(BAD_CONTENT))
def test_content_that_is_not_what_the_extension_says_is_refused(name: str):
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(name, BAD_CONTENT[name]), extensions=EVERY)
    assert refused.value.error_list[0].code == "invalid_content"


def test_size_and_extension_are_refused_with_their_reasons(settings):
    settings.OPF_UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("a.exe", b"x" * 11), extensions=("csv",))
    assert {e.code for e in refused.value.error_list} == {"file_too_large", "invalid_extension"}
    with pytest.raises(ValidationError, match="limit"):
        validate_upload(upload("a.csv", b"a,b\n" * 3), extensions=("csv",))
    validate_upload(upload("a.csv", b"a,b\n"), extensions=("csv",))


def test_the_validator_reads_the_file_from_the_start_and_leaves_it_there():
    file = upload("a.csv", b"a,b\n1,2\n")
    file.read(3)
    UploadValidator(["csv"])(file)
    assert file.read() == b"a,b\n1,2\n"
    assert UploadValidator(["CSV", ".csv"]) == UploadValidator(["csv"])


def test_the_content_validator_checks_only_the_content():
    ContentValidator()(upload("a.exe", b"MZ"))  # extensions and sizes are not its business
    ContentValidator()(upload("a.pdf", GOOD["a.pdf"]))
    with pytest.raises(ValidationError, match="not a valid pdf"):
        ContentValidator()(upload("a.pdf", b"MZ"))


# --- SVG images: parsed, allow-listed (#21) -----------------------------------------------

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
SCRIPTS = "contains scripts"
SVG_REFUSED = {
    # A namespace prefix hides <script> from a text search.
    "prefixed script": (
        '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
        SCRIPTS,
    ),
    "prefix declared on the script": (
        f'{SVG_OPEN}<s:script xmlns:s="http://www.w3.org/2000/svg">alert(1)</s:script></svg>',
        SCRIPTS,
    ),
    "XHTML script": (
        f'{SVG_OPEN}<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
        SCRIPTS,
    ),
    # Character references spell "javascript:" only once decoded.
    "entity-encoded javascript link": (
        f'{SVG_OPEN}<a xlink:href="javascript&#58;alert(1)"><rect/></a></svg>',
        SCRIPTS,
    ),
    "hex-encoded javascript href": (
        f'{SVG_OPEN}<a href="&#x6A;ava&#9;script:alert(1)"><rect/></a></svg>',
        SCRIPTS,
    ),
    "event handler": (f'{SVG_OPEN}<rect onclick="alert(1)"/></svg>', SCRIPTS),
    "prefixed event handler": (
        f'{SVG_OPEN}<rect xmlns:e="urn:x" e:onload="alert(1)"/></svg>',
        SCRIPTS,
    ),
    "foreignObject": (f"{SVG_OPEN}<foreignObject><p>x</p></foreignObject></svg>", SCRIPTS),
    "animation rewriting a link": (
        f'{SVG_OPEN}<a><set attributeName="href" to="javascript:alert(1)"/></a></svg>',
        "<set>, which is not allowed",
    ),
    "external link": (
        f'{SVG_OPEN}<image href="https://evil.example/x.png"/></svg>',
        "links outside itself",
    ),
    "data link": (
        f'{SVG_OPEN}<use xlink:href="data:image/svg+xml;base64,PHN2Zy8+"/></svg>',
        "links outside itself",
    ),
    "entity expansion": (
        '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        f"{SVG_OPEN}<text>&b;</text></svg>",
        "DOCTYPE or entities",
    ),
    "external entity": (
        f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>{SVG_OPEN}&x;</svg>',
        "DOCTYPE or entities",
    ),
    "style sheet to fetch": (
        f'<?xml-stylesheet href="https://evil.example/x.css"?>{SVG_OPEN}</svg>',
        "processing instruction",
    ),
    "imported styles": (
        f"{SVG_OPEN}<style>@im&#112;ort url(https://evil.example/x.css);</style></svg>",
        "styles load or run something",
    ),
    "external paint": (
        f'{SVG_OPEN}<rect fill="url(https://evil.example/p.svg#a)"/></svg>',
        "styles load or run something",
    ),
    "unknown attribute": (f'{SVG_OPEN}<a target="_blank"><rect/></a></svg>', "not allowed"),
    "not well-formed": (f"{SVG_OPEN}<rect></svg>", "not a well-formed SVG image"),
}
DRAWING = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
    ' xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"'
    ' xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"'
    ' xmlns:dc="http://purl.org/dc/elements/1.1/" viewBox="0 0 10 10">'
    "<metadata><rdf:RDF><dc:format>image/svg+xml</dc:format></rdf:RDF></metadata>"
    '<defs><linearGradient id="g"><stop offset="0" stop-color="#fff"/></linearGradient></defs>'
    "<style>.a { fill: url(#g); stroke: #000 }</style>"
    '<g inkscape:label="Layer 1"><rect class="a" fill="url(#g)" width="10" height="10"/>'
    '<use xlink:href="#g"/><a href="#g"><text x="1" y="5">caf\u00e9 &amp; co</text></a></g></svg>'
)


@pytest.mark.parametrize("case", sorted(SVG_REFUSED))
def test_an_svg_image_that_could_run_or_load_something_is_refused(case: str):
    content, message = SVG_REFUSED[case]
    with pytest.raises(ValidationError, match=re.escape(message)) as refused:
        validate_upload(upload("image.svg", content.encode()), extensions=("svg",))
    assert refused.value.error_list[0].code == "invalid_content"


def test_a_drawing_program_s_svg_and_our_own_charts_and_icon_pass():
    from django.conf import settings

    from opf.core import charts

    validate_upload(upload("drawing.svg", DRAWING.encode()), extensions=("svg",))
    ContentValidator()(upload("drawing.svg", DRAWING.encode()))
    chart = charts.line_chart(
        "Defects <per> month",
        ["Jan", "Feb"],
        [charts.Series("D", [1, 2])],
        x_label="M",
        y_label="D",
    )
    icon = (settings.BASE_DIR / "static" / "img" / "favicon.svg").read_bytes()
    for content in (str(chart.svg).encode(), icon):
        validate_upload(upload("image.svg", content), extensions=("svg",))


# --- through the pages -----------------------------------------------------------------

ISO_JSON = json.dumps(
    {
        "abbreviation": "ISO9001",
        "name": "ISO 9001",
        "version": "2015",
        "process_areas": [],
    }
).encode()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("iso.exe", b"MZ", "Upload a .json or .csv file"),
        ("iso.json", b'{"abbreviation": ', "not valid JSON"),
        ("iso.json", b'{"a": "\x00"}', "NUL bytes"),
        ("iso.csv", b"\xff\xfe\x00a", "NUL bytes"),
        ("iso.csv", "caf\u00e9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_the_reference_model_import_refuses_bad_files(name, content, message, people, client_as):
    before = ReferenceModel.objects.count()
    response = client_as(people.epg).post(
        "/reference-models/import/",
        {"file": upload(name, content), "abbreviation": "X", "name": "X", "version": "1"},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert ReferenceModel.objects.count() == before


def test_the_reference_model_import_refuses_a_file_too_big(people, client_as, settings):
    settings.OPF_IMPORT_MAX_BYTES = 100
    response = client_as(people.epg).post(
        "/reference-models/import/", {"file": upload("iso.json", b" " * 101 + b"{}")}
    )
    assert response.status_code == 400
    assert "the limit is 100" in response.content.decode()


@pytest.fixture
def appraisal_url(people):
    from appraisals.models import Appraisal
    from tests.appraisals.factories import AppraisalFactory

    appraisal = AppraisalFactory(state=Appraisal.State.IN_PROGRESS, lead_appraiser=people.appraiser)
    return f"/appraisals/{appraisal.pk}/import/"


@pytest.fixture
def measures(people):
    MeasureFactory(name="Defect density")
    ProjectFactory(code="mine", manager=people.pm)


CSV = b"measure,project,period,value\nDefect density,mine,2026-01,7\n"
CSV_CASES = [
    ("rows.txt", CSV, "Upload a file ending in .csv"),
    ("rows.csv", b"measure,project\n\x00\x00,mine\n", "NUL bytes"),
    ("rows.csv", b"%PDF-1.4\n\xe2\xe3\xcf\xd3", "not UTF-8"),
]


@pytest.mark.parametrize(("name", "content", "message"), CSV_CASES)
def test_the_findings_import_refuses_bad_files(
    name, content, message, appraisal_url, people, client_as
):
    response = client_as(people.appraiser).post(
        appraisal_url, {"file": upload(name, content), "action": "import"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Finding.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), CSV_CASES)
def test_the_measurements_import_refuses_bad_files(
    name, content, message, measures, people, client_as
):
    response = client_as(people.epg).post(
        "/measurements/import/", {"file": upload(name, content), "action": "import"}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Measurement.objects.exists()


def test_the_csv_imports_refuse_a_file_too_big_and_take_a_good_one(
    measures, appraisal_url, people, client_as, settings
):
    settings.OPF_IMPORT_MAX_BYTES = len(CSV) - 1
    client = client_as(people.epg)
    for url in ("/measurements/import/", appraisal_url):
        response = client.post(url, {"file": upload("rows.csv", CSV), "action": "preview"})
        assert response.status_code == 400, url
        assert "the limit is" in response.content.decode()
    settings.OPF_IMPORT_MAX_BYTES = len(CSV)
    done = client.post(
        "/measurements/import/", {"file": upload("rows.csv", CSV), "action": "import"}
    )
    assert done.status_code == 302
    assert Measurement.objects.get().value == 7


def _asset_version_post(client, file: SimpleUploadedFile):
    return client.post(
        "/asset-versions/add/",
        {
            "asset": ProcessAssetFactory().pk,
            "number": "1.0",
            "change_summary": "First.",
            "file": file,
        },
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("guide.exe", b"MZ\x90\x00", "not allowed"),
        ("guide.pdf", b"MZ\x90\x00", "not a valid pdf file"),
        ("guide.docx", b"plain text", "not a valid docx file"),
        ("guide.csv", b"a,\x00b\n", "NUL bytes"),
        ("guide.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "scripts"),
    ],
)
def test_an_asset_version_file_is_checked(name, content, message, people, client_as):
    response = _asset_version_post(client_as(people.epg), upload(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AssetVersion.objects.exists()


def test_an_asset_version_file_too_big_is_refused_and_a_good_one_kept(people, client_as, settings):
    settings.OPF_ASSET_MAX_UPLOAD_BYTES = 20
    client = client_as(people.epg)
    response = _asset_version_post(client, upload("guide.pdf", b"%PDF-1.4\n" + b" " * 20))
    assert response.status_code == 200 and "the limit is" in response.content.decode()
    assert not AssetVersion.objects.exists()
    response = _asset_version_post(client, upload("guide.pdf", b"%PDF-1.4\n"))
    assert response.status_code == 302
    assert AssetVersion.objects.get().file.read() == b"%PDF-1.4\n"


# --- through the API -------------------------------------------------------------------


def test_the_measurements_api_import_refuses_a_file_too_big_or_not_text(
    measures, people, api_as, settings
):
    api = api_as(people.epg)
    for content in (b"\xff\xfe\x00\x00", "caf\u00e9".encode("latin-1")):
        response = api.post(
            "/api/v1/measurements/import/", {"file": upload("m.csv", content)}, format="multipart"
        )
        assert response.status_code == 400, content
        assert "file" in field_errors(response)
    assert not Measurement.objects.exists()


def test_the_measurements_api_import_checks_extension_size_and_content(
    measures, people, api_as, settings
):
    settings.OPF_IMPORT_MAX_BYTES = 64
    api = api_as(people.epg)
    cases = {
        ("m.exe", b"measure,project,period,value\n"): "Upload a file ending in .csv",
        ("m.csv", b"measure,project\x00,period\n"): "NUL bytes",
        ("m.csv", b"x" * 65): "the limit is",
    }
    for (name, content), message in cases.items():
        response = api.post(
            "/api/v1/measurements/import/", {"file": upload(name, content)}, format="multipart"
        )
        assert response.status_code == 400, name
        assert message in " ".join(field_errors(response)["file"]), response.json()
    assert not Measurement.objects.exists()


# --- serving an upload back (#21) ------------------------------------------------------

SVG_IMAGE = b'<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>'


def _stored_version(tmp_path, settings, content: bytes = SVG_IMAGE) -> AssetVersion:
    from tests.deployment.factories import AssetVersionFactory

    settings.MEDIA_ROOT = tmp_path
    return AssetVersionFactory(file=SimpleUploadedFile("guide.svg", content))


def _through_the_site_policy(view):
    """The response as it leaves the site: django-csp's middleware has seen it."""
    from csp.middleware import CSPMiddleware
    from django.test import RequestFactory

    return CSPMiddleware(lambda request: view())(RequestFactory().get("/x/"))


def test_an_upload_is_served_as_a_sandboxed_download(tmp_path, settings):
    from opf.core.uploads import SANDBOX_POLICY, serve_upload

    version = _stored_version(tmp_path, settings)
    response = _through_the_site_policy(lambda: serve_upload(version.file))
    assert response["Content-Disposition"] == 'attachment; filename="guide.svg"'
    assert response["Content-Security-Policy"] == SANDBOX_POLICY  # not the site's policy
    assert "sandbox" in response["Content-Security-Policy"].split(";")[0]
    assert b"".join(response.streaming_content) == SVG_IMAGE
    named = serve_upload(version.file, 'my "guide".svg')
    assert named["Content-Disposition"].startswith("attachment; filename=")
    assert named["Content-Security-Policy"] == SANDBOX_POLICY


def test_an_asset_version_file_is_served_sandboxed(people, client_as, tmp_path, settings):
    version = _stored_version(tmp_path, settings)
    response = client_as(people.member).get(f"/asset-versions/{version.pk}/file/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Security-Policy"].startswith("sandbox")
