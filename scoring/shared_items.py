"""Appendix C's note: where teams share members, the same item never counts twice.

Achievements are claimed once already (teams.records refuses a second claim of the same normalised
key). A service visit or a training has no such key: two teams that share members can each record the
same day at the same organisation. Such a pair, same kind, same date, same served organisation (width-
and space-folded) and at least one person in both records' participants, counts once: for the record
written first (created first, then lowest id), unless the S&T office chose the other team's record
(SharedItemChoice); the other one is left out of every score, with the reason shown to the office.

A person is told apart as in a team's own list (teams.rules.same_person): the same teacher entered by
hand in two teams is still one person.
"""

from collections import defaultdict
from dataclasses import dataclass

from scoring.models import SharedItemChoice
from teams.models import RecordType, ServiceRecord
from teams.records import COUNTED
from teams.rules import MemberFacts, folded, same_person

SHARED_KINDS = (RecordType.SERVICE_VISIT, RecordType.TRAINING)


def _organisation(text: str) -> str:
    return folded(text).casefold()


@dataclass(frozen=True)
class SharedItem:
    kept: ServiceRecord  # the record that counts
    left_out: ServiceRecord  # the same item recorded by another team, later
    people: tuple[str, ...]  # who took part in both
    choice: SharedItemChoice | None = None  # the S&T office's decision, when it made one


def _people(record: ServiceRecord) -> list[MemberFacts]:
    return [
        MemberFacts(name=m.name, role=m.role, account=str(m.user_id or "")) for m in record.participants.all()
    ]


def _in_both(a: list[MemberFacts], b: list[MemberFacts]) -> tuple[str, ...]:
    """People who took part in both records (teams.rules.same_person), by name."""
    return tuple(sorted({p.name.strip() for p in a if any(same_person(p, q) for q in b)}))


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
    people = {}
    for record in pool:
        groups[(record.record_type, record.date, _organisation(record.served_organisation))].append(record)
        people[record.pk] = _people(record)
    chosen = _choices({r.pk for records in groups.values() for r in records})
    found, left = [], set()
    for records in groups.values():
        for i, later in enumerate(records):
            if later.pk in left:
                continue
            for earlier in records[:i]:
                if earlier.team_id == later.team_id or earlier.pk in left:
                    continue
                names = _in_both(people[earlier.pk], people[later.pk])
                if names:
                    if (later.pk, earlier.pk) in chosen:  # the office chose the later team's record
                        found.append(SharedItem(later, earlier, names, chosen[(later.pk, earlier.pk)]))
                        left.add(earlier.pk)
                    else:
                        found.append(SharedItem(earlier, later, names, chosen.get((earlier.pk, later.pk))))
                        left.add(later.pk)
                    break
    return found


def _choices(record_ids: set[int]) -> dict[tuple[int, int], SharedItemChoice]:
    rows = SharedItemChoice.objects.filter(kept_id__in=record_ids, left_out_id__in=record_ids)
    return {(c.kept_id, c.left_out_id): c for c in rows}


def left_out_ids(candidates) -> set[int]:
    return {item.left_out.pk for item in shared_items(candidates)}
