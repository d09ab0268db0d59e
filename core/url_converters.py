"""Path converters shared by the pages' and the API's URLs."""

from core.form_fields import YearField


class YearConverter:
    """A year the platform keeps records for (the range YearField accepts in forms). Any other number
    does not match, so /…/rules/99999/ is a 404 like any unknown page, not a table made for year 99999
    or a date the database cannot hold."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not YearField.low <= year <= YearField.high:
            raise ValueError(f"year {year} out of range")
        return year

    def to_url(self, value) -> str:
        return str(value)
