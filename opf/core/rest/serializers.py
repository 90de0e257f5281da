"""Base serializer: validation lives once, in the model (``full_clean``);
saves go through the same service as the pages."""

from __future__ import annotations

import functools
import re
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, Prefetch, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import exceptions, serializers
from rest_framework.exceptions import ErrorDetail
from rest_framework.fields import SkipField

from opf.core.accounts import inactive_choices
from opf.core.field_rights import refused_fields, refused_message
from opf.core.permissions import OWN_ROWS_ONLY, gives_away, signed_in_user
from opf.core.rest.exceptions import validation_detail
from opf.core.rest.router import api_url_of
from opf.core.services import check, save_object
from opf.core.ui.history import HistoryEntry  # at run time: the schema reads get_user's hints
from opf.core.urlnames import absolute_url
from opf.core.versioning import is_versioned

BOOLEAN_WORDS = {"true", "false"}


def type_problem(field: serializers.Field, value: Any, *, json: bool) -> ErrorDetail | None:
    """What is wrong with the type of ``value`` for ``field`` (None: nothing), with
    its code (``incorrect_type``, ``invalid_choice``, ``max_length``).

    DRF coerces generously (``0`` for a text, ``"5"`` or ``5.0`` for a whole
    number, ``{}`` for a list, ``"0"`` for a boolean); the schema promises
    types, so the API holds clients to them. Form and multipart bodies carry
    text only, so there only booleans are checked (``true``/``false``).
    """
    if value is None:
        return None
    if isinstance(field, serializers.ManyRelatedField):
        return None if isinstance(value, list) or not json else wrong_type(_("Give a list of ids."))
    if isinstance(field, serializers.BooleanField):
        ok = isinstance(value, bool) if json else str(value).lower() in BOOLEAN_WORDS
        return None if ok else wrong_type(_("Use true or false."))
    max_length = getattr(field, "max_length", None)
    if isinstance(value, str) and max_length and len(value) > max_length:
        # Checked before DRF trims white space: the schema's maxLength is on what is sent.
        message = _("Ensure this field has no more than %(max)d characters.") % {"max": max_length}
        return ErrorDetail(message, code="max_length")
    if not json:
        if value == "" and isinstance(field, serializers.DateField | serializers.DateTimeField):
            # DRF reads "" in a form body as "no date"; the schema promises a date (send
            # null in JSON to clear one).
            return ErrorDetail(_("Give a date (YYYY-MM-DD)."), code="invalid")
        return None
    if isinstance(field, serializers.ChoiceField):
        if value == "" and field.allow_blank:
            return None
        ok = any(type(key) is type(value) and key == value for key in field.choices)
        message = _("%(value)r is not a valid choice.") % {"value": value}
        return None if ok else ErrorDetail(message, code="invalid_choice")
    if isinstance(field, serializers.CharField):
        return None if isinstance(value, str) else wrong_type(_("Give a text."))
    if isinstance(field, serializers.IntegerField | serializers.PrimaryKeyRelatedField):
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else wrong_type(_("Give a whole number."))
    if (
        isinstance(field, serializers.DecimalField)
        and getattr(field, "coerce_to_string", None) is not False
    ):
        # The schema says a decimal is a string (exact: no binary rounding).
        message = _('Give the number as a string, e.g. "10.5".')
        return None if isinstance(value, str) else wrong_type(message)
    return None


def wrong_type(message: str) -> ErrorDetail:
    return ErrorDetail(message, code="incorrect_type")


# What ``iri_to_uri`` leaves as it is: a path made of these is already a URI.
URI_PATH = re.compile(r"/(?!/)[A-Za-z0-9_.~/#%\[\]=:;$&()+,!?*@'-]*")


def absolute_uri(request: Any, url: str) -> str:
    """``request.build_absolute_uri(url)``, the same text; for a path this site made
    (``reverse`` quotes it), the scheme and host are read once per request: a list
    of 50 rows makes hundreds of URLs."""
    if not URI_PATH.fullmatch(url) or "/./" in url or "/../" in url:
        return str(request.build_absolute_uri(url))
    found = vars(request)
    origin = found.get("_opf_origin")
    if origin is None:
        origin = found["_opf_origin"] = request.build_absolute_uri("/")[:-1]
    return f"{origin}{url}"


class ReferenceSerializer(serializers.Serializer):
    """A reference to another record: its id, its URL in this API and its name."""

    id = serializers.IntegerField(help_text="The record's id (what a write sends).")
    url = serializers.CharField(
        allow_null=True, help_text="The record in this API (null: it has no endpoint)."
    )
    display = serializers.CharField(help_text="The record's name, for people.")

    class Meta:
        ref_name = "Reference"


class ReferenceField(serializers.RelatedField):
    """Read-only: the related record as ``{id, url, display}``. Every foreign key
    (and many-to-many field) of an ``ObjectSerializer`` gets one beside it, named
    ``<field>_ref`` (``<field>_refs``, a list), while the field itself stays the id
    (ids) a client reads and writes back."""

    def __init__(self, *, nullable: bool = False, **kwargs: Any) -> None:
        self.nullable = nullable  # the schema's concern: DRF answers null for no record
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> dict[str, Any]:
        url = api_url_of(value)
        request = self.context.get("request")
        if url is not None and request is not None:
            url = absolute_uri(request, url)
        return {"id": value.pk, "url": url, "display": str(value)}


class ReferenceFieldSchema(OpenApiSerializerFieldExtension):
    """A reference is the ``Reference`` component; one that may be missing is
    ``oneOf: [Reference, NullEnum]`` (OpenAPI 3.0.3: ``nullable`` beside an ``allOf``
    would not let null through)."""

    target_class = ReferenceField

    def map_serializer_field(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        component = auto_schema.resolve_serializer(ReferenceSerializer, direction)
        if not getattr(self.target, "nullable", False):
            return dict(component.ref)
        null = ResolvedComponent(
            name="NullEnum", type=ResolvedComponent.SCHEMA, object="NullEnum", schema=NULL
        )
        auto_schema.registry.register_on_missing(null)
        return {"oneOf": [component.ref, null.ref]}


NULL = {"enum": [None]}


def reference_fields(fields: dict[str, serializers.Field]) -> dict[str, serializers.Field]:
    """The ``<field>_ref`` (``_refs``) siblings of the id fields in ``fields``."""
    added: dict[str, serializers.Field] = {}
    for name, field in fields.items():
        source = field.source or name  # unbound yet: a declared source, else the name
        if field.write_only or source == "*":
            continue
        if isinstance(field, serializers.PrimaryKeyRelatedField):
            added[f"{name}_ref"] = ReferenceField(
                source=source, read_only=True, nullable=field.allow_null, help_text=field.help_text
            )
        elif isinstance(field, serializers.ManyRelatedField) and isinstance(
            field.child_relation, serializers.PrimaryKeyRelatedField
        ):
            added[f"{name}_refs"] = ReferenceField(
                source=source, many=True, read_only=True, help_text=field.help_text
            )
    return {name: field for name, field in added.items() if name not in fields}


@functools.cache
def reference_sources(serializer_class: type[serializers.Serializer]) -> tuple[str, ...]:
    """The model fields the serializer's references read (once per serializer)."""
    return tuple(
        str(field.source)
        for field in serializer_class().fields.values()
        if isinstance(getattr(field, "child_relation", field), ReferenceField)
    )


def name_joins(model: type[Model]) -> tuple[str, ...]:
    """The relations a record's name reads (``DomainModel.NAME_JOINS``)."""
    return tuple(getattr(model, "NAME_JOINS", ()))


def with_references(queryset: QuerySet, serializer_class: Any) -> QuerySet:
    """``queryset`` loading the records its serializer's references name, in a join
    (foreign keys) or one query per field (many-to-many): a page's references cost
    no query per row. Each referenced record comes with what its name reads
    (``NAME_JOINS``), and nothing more: a join of every relation the record's own
    endpoint shows made a list of non-compliances join 19 tables, more than
    PostgreSQL reorders (``join_collapse_limit``), and read whole tables to build
    a page of 50."""
    if not (isinstance(serializer_class, type) and issubclass(serializer_class, ObjectSerializer)):
        return queryset
    model = queryset.model
    joined, prefetched = list(name_joins(model)), []
    lookups = getattr(queryset, "_prefetch_related_lookups", ())  # Django's, not in its stubs
    seen = {getattr(p, "prefetch_through", p) for p in lookups}
    for source in reference_sources(serializer_class):
        try:
            model_field = model._meta.get_field(source)
        except FieldDoesNotExist:
            continue
        if not model_field.concrete:
            continue
        related = model_field.related_model
        deeper = name_joins(related)
        if model_field.many_to_many and source not in seen:
            loaded = related._default_manager.select_related(*deeper)
            prefetched.append(Prefetch(source, queryset=loaded))
        elif model_field.many_to_one or model_field.one_to_one:
            joined.append(source)
            joined.extend(f"{source}__{path}" for path in deeper)
    if joined and queryset.query.select_related is not True:
        queryset = queryset.select_related(*joined)
    return queryset.prefetch_related(*prefetched) if prefetched else queryset


READ_ONLY = _lazy(
    "Read-only: set by the system or changed through the record's own step "
    "(POST …/{id}/<step>/), never by an edit."
)

# C0 controls other than tab, newline and carriage return, and DEL: never text.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ObjectSerializer(serializers.ModelSerializer):
    """Subclasses list ``[*ObjectSerializer.Meta.fields, *TheForm.Meta.fields]``:
    what a user may edit is declared once, on the form.

    A versioned record (``opf.core.versioning``) also reads ``version``; written, it
    is the version the client read (checked by the viewset), never stored.
    """

    url = serializers.SerializerMethodField(help_text="The record in this API.")
    web_url = serializers.SerializerMethodField(help_text="The record's page.")
    display = serializers.SerializerMethodField(help_text="The record's name, for people.")

    class Meta:
        fields = ["id", "url", "web_url", "display"]

    def get_url(self, obj: Model) -> str:
        url = api_url_of(obj)
        if url is None:
            raise TypeError(f"A {obj._meta.label} has no endpoint of its own.")
        return self._absolute(url)

    def get_web_url(self, obj: Model) -> str:
        return self._absolute(absolute_url(obj))

    def _absolute(self, url: str) -> str:
        request = self.context.get("request")
        return absolute_uri(request, url) if request else url

    def get_display(self, obj: Model) -> str:
        return str(obj)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        if is_versioned(self.Meta.model) and "version" not in fields:
            fields["version"] = serializers.IntegerField(
                required=False,
                min_value=0,
                help_text="The version you read (or send If-Match); a stale one gets 412.",
            )
        fields.update(reference_fields(fields))
        return fields

    def get_validators(self) -> list[Any]:
        """Only validators a serializer declares: the model's unique constraints are
        checked by ``full_clean`` in ``validate`` (after the model's own ``clean``, which
        may fill in a constrained field, as a document's revision number), not restated
        by DRF on what the client sent."""
        return list(getattr(self.Meta, "validators", []))

    def to_internal_value(self, data: Any) -> Any:
        """The body's values; every field's problem in one answer: the strict checks
        below (unknown, read-only, type) and DRF's own (required, format, ...)."""
        if not hasattr(data, "items"):
            return super().to_internal_value(data)
        self.check_rights_first(data)
        errors = self.strict_errors(data)
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            detail = error.detail if isinstance(error.detail, dict) else {}
            for name, messages in detail.items():
                errors.setdefault(name, messages)
        if errors:
            raise serializers.ValidationError(errors)
        return value

    def strict_errors(self, data: Any) -> dict[str, Any]:
        """What DRF would let through: unknown fields, writes to read-only ones, values
        of the wrong JSON type (DRF coerces), control characters in a text."""
        json = isinstance(data, dict) and not hasattr(data, "getlist")
        errors: dict[str, Any] = {}
        for name, value in data.items():
            if isinstance(value, str) and CONTROL_CHARACTERS.search(value):
                message = _("Remove the control characters from this text.")
                errors[name] = [ErrorDetail(message, code="control_characters")]
                continue
            field = self.fields.get(name)
            if field is None:
                message = _("Unknown field: this endpoint has no such field.")
                errors[name] = [ErrorDetail(message, code="unknown_field")]
                continue
            if field.read_only:
                if not self._same_as_read(field, value):
                    errors[name] = [ErrorDetail(str(READ_ONLY), code="read_only")]
                continue
            problem = type_problem(field, value, json=json)
            if problem:
                errors[name] = [problem]
        return errors

    def _same_as_read(self, field: serializers.Field, value: Any) -> bool:
        """A read-only field sent back as it was read (a client that PUTs what it
        GOT) is no change; on a new record, only an empty value is."""
        if self.instance is None:
            return value in (None, "")
        try:
            current = field.to_representation(field.get_attribute(self.instance))
        except (AttributeError, KeyError, TypeError, ValueError):
            return True  # nothing to compare with: not a change this serializer could make
        if isinstance(current, str) and isinstance(value, str):
            request = self.context.get("request")
            if request is not None and current.startswith(("http://", "https://")):
                value = request.build_absolute_uri(value)
        return value == current or str(value) == str(current)

    def check_rights_first(self, data: Any) -> None:
        """403 before any validation (who may not write learns nothing from it):
        a change to a field the user may not write (``opf.core.field_rights``),
        naming the fields; a value that would make the row someone else's, for a
        user who may write only their own rows (``gives_away``)."""
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        model = self.Meta.model
        adding = self.instance is None
        names = [n for n in data if n in self.fields and not self.fields[n].read_only]
        target: Model | type[Model] = model if self.instance is None else self.instance
        sources = {name: self._source(name) for name in names}  # model field names
        refused = refused_fields(user, "add" if adding else "change", target, sources.values())
        changed = [n for n in names if sources[n] in refused and self._changes(n, data[n])]
        if changed:
            raise exceptions.PermissionDenied(
                {"detail": refused_message(changed), "fields": changed}
            )
        first = (getattr(model, "OWNER_PATH", None) or "").split("__")[0]
        chosen = self._converted(first, data[first]) if first in names else SkipField
        values = {} if chosen is SkipField else {first: chosen}
        if values and gives_away(user, model, adding=adding, values=values):
            raise exceptions.PermissionDenied({"detail": str(OWN_ROWS_ONLY), "fields": [first]})

    def _source(self, name: str) -> str:
        """The model field a serializer field writes (``edition`` -> ``version``)."""
        return str(self.fields[name].source or name)

    def _converted(self, name: str, value: Any) -> Any:
        """``value`` as field ``name`` reads it, or ``SkipField`` when it cannot
        (validation will say why)."""
        try:
            return self.fields[name].run_validation(value)
        except (serializers.ValidationError, SkipField):
            return SkipField

    def _changes(self, name: str, value: Any) -> bool:
        """Would writing ``value`` change the stored ``name`` (a new record: its default)?"""
        new = self._converted(name, value)
        if new is SkipField:
            return True
        instance = self.instance if self.instance is not None else self.Meta.model()
        if isinstance(self.fields[name], serializers.ManyRelatedField):
            members = list(getattr(instance, name).all()) if instance.pk is not None else []
            return sorted(o.pk for o in members) != sorted(getattr(n, "pk", n) for n in new)
        old = getattr(instance, self._source(name), None)
        return getattr(old, "pk", old) != getattr(new, "pk", new)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if is_versioned(self.Meta.model):
            attrs.pop("version", None)  # what the client read: the viewset checks it
        inactive = inactive_choices(self.Meta.model, self.instance, attrs)
        if inactive:
            raise serializers.ValidationError(inactive)
        instance = self.instance or self.Meta.model()
        for name, value in attrs.items():
            field = self.Meta.model._meta.get_field(name)
            if not field.many_to_many:
                setattr(instance, name, value)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(validation_detail(error)) from error
        return attrs

    def _save(self, instance: Model, validated_data: dict[str, Any]) -> Model:
        expected = validated_data.pop("expected_version", None)
        user = signed_in_user(self.context["request"])
        adding = instance.pk is None
        many = {}
        for name, value in validated_data.items():
            if self.Meta.model._meta.get_field(name).many_to_many:
                many[name] = value
            else:
                setattr(instance, name, value)
        check(user, "add" if adding else "change", instance)  # 403 before any 400
        # On the values about to be saved (after each serializer's own validate,
        # e.g. an appraisal's lead joining its team), many-to-many ones included.
        field = gives_away(user, self.Meta.model, adding=adding, values=validated_data)
        if field:
            raise serializers.ValidationError({field: [str(OWN_ROWS_ONLY)]})

        def set_many() -> None:
            for name, value in many.items():
                getattr(instance, name).set(value)

        save_object(instance, actor=user, expected_version=expected, then=set_many)
        return instance

    def create(self, validated_data: dict[str, Any]) -> Model:
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance: Model, validated_data: dict[str, Any]) -> Model:
        return self._save(instance, validated_data)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    when = serializers.DateTimeField()
    user = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField()
    changes = serializers.SerializerMethodField()

    def get_user(self, entry: HistoryEntry) -> str | None:
        return entry.user.get_username() if entry.user else None

    def get_changes(self, entry: HistoryEntry) -> list[dict[str, Any]]:
        return [
            {"field": c.field, "old": _plain(c.old), "new": _plain(c.new)} for c in entry.changes
        ]


def _plain(value: Any) -> Any:
    return (
        value
        if value is None or isinstance(value, bool | int | float | str | list | dict)
        else str(value)
    )
