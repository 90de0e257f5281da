"""Is an uploaded SVG image inert? Parsed as XML, never matched as text.

A text search for ``<script`` misses ``<s:script xmlns:s="…/svg">`` and
``javascript&#58;``; so the image is parsed (expat, with namespaces: a prefix
is resolved to its namespace, character references are decoded before any
check) and every element and attribute must be on an allow-list:

- no DOCTYPE, entity declaration or processing instruction (no entity
  expansion, no external entity, no stylesheet to fetch);
- the root is ``<svg>``; elements are the SVG namespace's drawing, text,
  gradient, filter and structure elements, plus the inert metadata that
  drawing programs write (RDF, Dublin Core, Creative Commons, Inkscape,
  Sodipodi); never ``script``, ``foreignObject``, animation (which can rewrite
  a link), an XHTML or any other namespace;
- attributes are the SVG geometry and presentation attributes (``data-`` and
  ``aria-`` too); never an event handler (``on…``); ``href`` and
  ``xlink:href`` only point inside the image (``#id``), and ``url(…)`` in an
  attribute or a stylesheet only to ``#id``; ``xml:base`` is refused.

``svg_problem(text)`` says what is wrong, or None.
"""

from __future__ import annotations

import re
from xml.parsers import expat

from django.utils.translation import gettext as _

SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
XML = "http://www.w3.org/XML/1998/namespace"
METADATA = frozenset(
    {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://purl.org/dc/elements/1.1/",
        "http://purl.org/dc/terms/",
        "http://creativecommons.org/ns#",
        "http://web.resource.org/cc/",
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    }
)
ACTIVE_ELEMENTS = frozenset({"script", "foreignobject", "handler", "listener"})


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


ELEMENTS = _words(
    """svg g defs symbol use title desc metadata switch style a view
    path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop pattern clipPath mask marker image filter
    feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA
    feFuncB feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology
    feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence"""
)
ATTRIBUTES = _words(
    """id class style lang tabindex role requiredFeatures requiredExtensions
    systemLanguage version baseProfile viewBox preserveAspectRatio zoomAndPan
    x y x1 y1 x2 y2 cx cy r rx ry fr fx fy dx dy width height d points pathLength
    transform rotate textLength lengthAdjust startOffset method spacing side path
    href gradientUnits gradientTransform spreadMethod offset patternUnits
    patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits
    markerUnits markerWidth markerHeight refX refY orient filterUnits primitiveUnits
    in in2 result stdDeviation mode type values operator k1 k2 k3 k4 order
    kernelMatrix divisor bias targetX targetY edgeMode preserveAlpha surfaceScale
    diffuseConstant specularConstant specularExponent kernelUnitLength azimuth
    elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle scale xChannelSelector
    yChannelSelector baseFrequency numOctaves seed stitchTiles tableValues slope
    intercept amplitude exponent radius z filterRes media
    alignment-baseline baseline-shift clip clip-path clip-rule color
    color-interpolation color-interpolation-filters color-profile color-rendering
    direction display dominant-baseline enable-background fill fill-opacity
    fill-rule filter flood-color flood-opacity font font-family font-size
    font-size-adjust font-stretch font-style font-variant font-weight
    glyph-orientation-horizontal glyph-orientation-vertical image-rendering kerning
    letter-spacing lighting-color marker marker-end marker-mid marker-start mask
    opacity overflow paint-order pointer-events shape-rendering stop-color
    stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap
    stroke-linejoin stroke-miterlimit stroke-opacity stroke-width text-anchor
    text-decoration text-rendering transform-origin transform-box unicode-bidi
    vector-effect visibility word-spacing writing-mode mix-blend-mode isolation"""
)
XLINK_ATTRIBUTES = frozenset({"href", "title", "type", "show", "actuate", "role", "arcrole"})
XML_ATTRIBUTES = frozenset({"space", "lang"})
# url(…) not to "#…", @import, expression(), javascript:, CSS escapes (which can spell
# any of these), behaviors and bindings: in a style sheet, a style or any attribute.
ACTIVE_CSS = re.compile(
    r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression\s*\(|javascript:|\\|behavior\s*:|binding\s*:"
)
# Browsers drop leading and trailing whitespace and control characters from a URL.
URL_EDGES = "".join(chr(c) for c in range(0x21))


class Refused(Exception):
    """Why the image is refused (the message shown)."""


def _split(name: str) -> tuple[str, str]:
    """(namespace, local name) of an expat name ``"namespace local"`` or ``"local"``."""
    namespace, _space, local = name.rpartition(" ")
    return namespace, local


def _scripts() -> Refused:
    return Refused(_("The SVG image contains scripts; upload it without them."))


class _Checker:
    def __init__(self) -> None:
        self.depth = 0
        self.style: list[str] | None = None  # the text of the <style> being read
        self.parser = expat.ParserCreate(encoding="utf-8", namespace_separator=" ")
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartDoctypeDeclHandler = self.refuse_declarations
        self.parser.EntityDeclHandler = self.refuse_declarations
        self.parser.ExternalEntityRefHandler = self.refuse_external
        self.parser.ProcessingInstructionHandler = self.refuse_instruction
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        self.parser.CharacterDataHandler = self.text

    def refuse_declarations(self, *args: object) -> None:
        raise Refused(_("The SVG image declares a DOCTYPE or entities; upload it without them."))

    def refuse_external(self, *args: object) -> int:
        self.refuse_declarations()
        return 0  # not reached: nothing external is read

    def refuse_instruction(self, target: str, data: str) -> None:
        raise Refused(
            _("The SVG image contains a processing instruction (%(target)s); upload it without.")
            % {"target": target}
        )

    def start(self, name: str, attributes: dict[str, str]) -> None:
        namespace, local = _split(name)
        if self.depth == 0 and (local != "svg" or namespace not in ("", SVG)):
            raise Refused(_("The file is not an SVG image."))
        self.depth += 1
        if local.lower() in ACTIVE_ELEMENTS:
            raise _scripts()
        if namespace not in METADATA and (namespace not in ("", SVG) or local not in ELEMENTS):
            raise Refused(
                _("The SVG image contains <%(element)s>, which is not allowed.")
                % {"element": local}
            )
        self.style = [] if local == "style" else None
        for attribute, value in attributes.items():
            _check_attribute(local, attribute, value)

    def end(self, name: str) -> None:
        if self.style is not None:
            _check_css("".join(self.style))
            self.style = None

    def text(self, data: str) -> None:
        if self.style is not None:
            self.style.append(data)


def _check_attribute(element: str, name: str, value: str) -> None:
    namespace, local = _split(name)
    if local.lower().startswith("on"):
        raise _scripts()
    if namespace in METADATA:
        return
    free_text = local.startswith(("data-", "aria-"))
    allowed = (
        (namespace == "" and (local in ATTRIBUTES or free_text))
        or (namespace == XLINK and local in XLINK_ATTRIBUTES)
        or (namespace == XML and local in XML_ATTRIBUTES)
    )
    if not allowed:
        raise Refused(
            _("The SVG image has a %(attribute)s attribute on <%(element)s>: not allowed.")
            % {"attribute": local, "element": element}
        )
    if local == "href":
        _check_link(value)
    elif namespace == "" and not free_text:
        _check_css(value)  # presentation attributes are CSS values: fill="url(…)"


def _check_link(value: str) -> None:
    """A link must stay inside the image (``#id``); character references are decoded."""
    link = value.strip(URL_EDGES)
    if link.startswith("#"):
        return
    if "javascript:" in "".join(link.lower().split()):
        raise _scripts()
    raise Refused(
        _("The SVG image links outside itself (%(link)s); only links to #id are allowed.")
        % {"link": link[:80]}
    )


def _check_css(value: str) -> None:
    lowered = value.lower()
    if "javascript:" in "".join(lowered.split()):
        raise _scripts()
    if ACTIVE_CSS.search(lowered):
        raise Refused(
            _("The SVG image's styles load or run something (%(style)s); upload it without.")
            % {"style": value.strip()[:80]}
        )


def svg_problem(text: str) -> str | None:
    """Why the SVG image ``text`` is refused, or None when it is inert."""
    checker = _Checker()
    try:
        checker.parser.Parse(text.encode("utf-8"), True)
    except Refused as refused:
        return str(refused)
    except expat.ExpatError as error:
        return _("The file is not a well-formed SVG image: %(error)s.") % {
            "error": expat.errors.messages[error.code] if error.code else str(error)
        }
    if checker.depth == 0:
        return _("The file is not an SVG image.")
    return None
