"""Form fields shared by the apps' forms (pages and API alike)."""

from django import forms
from django.core.exceptions import ValidationError

ID_MAX = 2**63 - 1


class ModelIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses an id outside the database's id range before it queries:
    SQLite raises OverflowError on an integer it cannot hold, where PostgreSQL simply finds nothing.
    The message is Django's own for a choice that is not offered."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check reports it
            if not 0 < number <= ID_MAX:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)
