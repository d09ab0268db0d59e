"""Small helpers every app's API views share: parse input, refuse in the one error shape."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound, ValidationError

from core.form_fields import whole_number


def parsed(serializer_class, data, **kwargs) -> dict:
    """A serializer's validated data, or a 400 naming each bad input."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def parsed_form(form_class, data, *, joined=(), **kwargs):
    """Bind a page's form to the API's input and validate it: where a form resolves references (codes
    to industries, a login name to a user) and words its messages, the API asks the same form, so a
    client and a person get the same answer. A 400 names each bad input."""
    form = form_class(data=_form_data(data, joined), **kwargs)
    if not form.is_valid():
        errors = {("non_field_errors" if f == "__all__" else f): list(e) for f, e in form.errors.items()}
        raise ValidationError(errors)
    return form


def _form_data(data, joined=()):
    """The input as a form reads it. A multipart/form body is used as it is; a JSON body must be an
    object, its lists stay lists (multiple-choice fields read them), and the fields in `joined`, which
    the page types as one text ("3533, 3553"), get a JSON list joined the same way."""
    if hasattr(data, "getlist"):
        return data
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": [_("请求内容应为 JSON 对象。")]})
    out = dict(data)
    for key in joined:
        if isinstance(out.get(key), list):
            out[key] = "\n".join(str(v) for v in out[key])
    return out


def one_of(queryset, pk):
    """The object among those the asker may see, or a 404 (never a hint that it exists elsewhere)."""
    pk = as_id(pk)
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise NotFound
    return obj


def as_id(value) -> int | None:
    """An object id given as input ("12" or 12), or None when it is not one (letters, Unicode digits
    such as "²", or more digits than a database id has): the caller answers 404 or 400, never a crash."""
    if isinstance(value, bool):
        return None
    return whole_number(value) or None
