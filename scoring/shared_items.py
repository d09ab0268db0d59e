"""Appendix C's note: where teams share members, the same item never counts twice.

Achievements are claimed once already (teams.records refuses a second claim of the same normalised
key). A service visit or a training has no such key: two teams that share members can each record the
same day at the same organisation. Such a pair, same kind, same date, same served organisation (width-
and space-folded) and at least one person in both records' participants, counts once: for the record
written first (created first, then lowest id); the later one is left out of every score, with the
reason shown to the S&T office.

A person is the member's platform account where both members have one, otherwise the member's name
(NFKC, spaces removed): the same teacher entered by hand in two teams is still one person.
"""

import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from teams.models import RecordType, ServiceRecord
from teams.records import COUNTED

SHARED_KINDS = (RecordType.SERVICE_VISIT, RecordType.TRAINING)


def _folded(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split()).casefold()


@dataclass(frozen=True)
class SharedItem:
    kept: ServiceRecord  # the record that counts
    left_out: ServiceRecord  # the same item recorded by another team, later
    people: tuple[str, ...]  # who took part in both


def _people(record: ServiceRecord) -> list[tuple[int | None, str, str]]:
    """(account id or None, folded name, name as shown) of each participant."""
    return [(m.user_id, _folded(m.name), m.name.strip()) for m in record.participants.all()]


def _in_both(a: list, b: list) -> tuple[str, ...]:
    """People who took part in both: the same account, or the same name where either entry has no
    account (two accounts with one name are two people)."""
    both = set()
    for user_a, name_a, shown in a:
        for user_b, name_b, _shown in b:
            if (user_a and user_b and user_a == user_b) or (
                (user_a is None or user_b is None) and name_a and name_a == name_b
            ):
                both.add(shown)
    return tuple(sorted(both))


def shared_items(candidates) -> list[SharedItem]:
    """The pairs among `candidates` (a ServiceRecord queryset) and every other counted record of the same
    kind and dates, where the later record repeats the earlier one of another team."""
    candidates = candidates.filter(record_type__in=SHARED_KINDS, status__in=COUNTED)
    dates = set(candidates.values_list("date", flat=True))
    if not dates:
        return []
    pool = (
        ServiceRecord.objects.filter(record_type__in=SHARED_KINDS, status__in=COUNTED, date__in=dates)
        .select_related("team")
        .prefetch_related("participants")
        .order_by("created_at", "id")
    )
    groups = defaultdict(list)
    for record in pool:
        groups[(record.record_type, record.date, _folded(record.served_organisation))].append(record)
    found, left = [], set()
    for records in groups.values():
        for i, later in enumerate(records):
            if later.pk in left:
                continue
            later_people = _people(later)
            for earlier in records[:i]:
                if earlier.team_id == later.team_id or earlier.pk in left:
                    continue
                names = _in_both(_people(earlier), later_people)
                if names:
                    found.append(SharedItem(earlier, later, names))
                    left.add(later.pk)
                    break
    return found


def left_out_ids(candidates) -> set[int]:
    return {item.left_out.pk for item in shared_items(candidates)}
