"""The desk's own lists of activity kinds and audiences.

A desk names its activities in its own words ("Discussion group for mothers", "Parents
received alongside La cabane") and its coordinator adds, renames and retires them. Each
entry of the desk's lists stands for one answer of the network's list (`ActivityKind`,
`Audience`): the desk's screens (its activities, the training plan) speak of the desk's
entries, while the monthly file carries the network's answers, the same at every desk; so
do what is made of it (the export's preview, the network's merge, its publications and
council report), where desks are compared.

An entry is stored under an id that never changes; the activities name it. The entries a
desk starts with are the network's answers under their own codes, so activities recorded
before the desk had lists keep the kind and audience they had. A code no entry holds (an
entry of a newer version, a damaged row) is read as the network's answer of that code, or
the network list's answer for an unknown code, as every stored code is (app/domain/codes.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain import validation
from app.domain.codes import ActivityKind, Audience, Coded
from app.domain.protocols import LANGUAGES, in_language
from app.errors import ValidationError
from app.i18n import _, current_language, language_name

MAX_NAME = 80
#: the desk's default audience for the parents received while their children are at
#: "La cabane": counted apart from the children, as the network's "parents"
CABANE_PARENTS = "la_cabane_parents"


class DeskList(StrEnum):
    KINDS = "kind"
    AUDIENCES = "audience"

    @property
    def network(self) -> type[Coded]:
        """The network's list the entries stand for."""
        return ActivityKind if self is DeskList.KINDS else Audience


@dataclass(frozen=True)
class DeskEntry:
    """A kind or an audience of the desk's list."""

    id: str
    #: the name in each language given (fr, nl, en, de), at least one
    names: dict[str, str]
    #: the network's answer it is counted under, as its code
    network: str
    retired: bool = False

    @property
    def label(self) -> str:
        """The name in the language of the screen, else in another it has."""
        return in_language(self.names, current_language())

    def label_in(self, language: str) -> str:
        return in_language(self.names, language)


@dataclass(frozen=True)
class EntryForm:
    """An entry as the coordinator gives it: its names, and the network's answer."""

    name_fr: str
    name_nl: str
    name_en: str
    name_de: str
    network: str

    def names(self) -> dict[str, str]:
        return {"fr": self.name_fr, "nl": self.name_nl, "en": self.name_en, "de": self.name_de}


def form_of(entry: DeskEntry) -> EntryForm:
    names = entry.names
    return EntryForm(
        names.get("fr", ""),
        names.get("nl", ""),
        names.get("en", ""),
        names.get("de", ""),
        entry.network,
    )


@dataclass(frozen=True)
class DeskLists:
    kinds: tuple[DeskEntry, ...]
    audiences: tuple[DeskEntry, ...]

    def entries(self, which: DeskList) -> tuple[DeskEntry, ...]:
        return self.kinds if which is DeskList.KINDS else self.audiences

    def active(self, which: DeskList) -> tuple[DeskEntry, ...]:
        """The entries offered for a new activity."""
        return tuple(entry for entry in self.entries(which) if not entry.retired)

    def kind(self, stored: str) -> DeskEntry:
        return self.entry(DeskList.KINDS, stored)

    def audience(self, stored: str) -> DeskEntry:
        return self.entry(DeskList.AUDIENCES, stored)

    def entry(self, which: DeskList, stored: str) -> DeskEntry:
        """The entry an activity's stored code names. A code no entry holds is read as the
        network's answer (an unknown one logged, see `Coded.read`): shown, and saved again,
        as the desk's entry of that answer's code, or as the answer itself if the desk has
        no such entry."""
        entries = self.entries(which)
        for entry in entries:
            if entry.id == stored:
                return entry
        member = ActivityKind.read(stored) if which is DeskList.KINDS else Audience.read(stored)
        for entry in entries:
            if entry.id == member.value:
                return entry
        return DeskEntry(stored, {"en": member.label}, member.value)

    def network_kind(self, stored: str) -> ActivityKind | None:
        """The network's kind an activity's stored kind is counted under (`Coded.counted`)."""
        return ActivityKind.counted(self._network_code(DeskList.KINDS, stored))

    def network_audience(self, stored: str) -> Audience | None:
        return Audience.counted(self._network_code(DeskList.AUDIENCES, stored))

    def _network_code(self, which: DeskList, stored: str) -> str:
        found = next((entry for entry in self.entries(which) if entry.id == stored), None)
        return stored if found is None else found.network


def name_label(code: str) -> str:
    """The name field of language `code` as a message names it: four fields are alike."""
    # TRANSLATORS: {language} is a language's name, as "English": "The name in English
    # cannot be empty."
    return _("The name in {language}").format(language=language_name(code))


def validate_entry(
    form: EntryForm, which: DeskList, others: tuple[DeskEntry, ...], language: str
) -> dict[str, str]:
    """The entry's names, cleaned, once the form is acceptable: a name in the desk's
    language (`language`), none longer than `MAX_NAME` or already another entry's in its
    language, and a network answer of the network's list."""
    required = language if language in LANGUAGES else "fr"
    names = {
        code: validation.clean_text(
            text, f"name_{code}", name_label(code), MAX_NAME, required=code == required
        )
        for code, text in form.names().items()
    }
    for code in LANGUAGES:
        taken = {entry.names.get(code, "").casefold() for entry in others}
        if names[code] and names[code].casefold() in taken:
            message = (
                _("There is already a kind of activity called {name}.")
                if which is DeskList.KINDS
                else _("There is already an audience called {name}.")
            )
            raise ValidationError(message.format(name=names[code]), field=f"name_{code}")
    if which.network.parse(form.network) is None:
        raise ValidationError(
            _("Choose what the network counts it as, from the network's list."),
            field="network",
        )
    return {code: text for code, text in names.items() if text}
