"""What the details pane says about a directory entry: the address of a confidential entry
is never in it."""

from __future__ import annotations

from html import escape

from app.domain.areas import PROVINCE_LABELS, REGION_LABELS
from app.domain.codes import ContactLanguage
from app.domain.directory import DirectoryEntry, Source, Verification, day_slots_text
from app.domain.municipalities import municipality
from app.domain.phone_format import belgian_display, belgian_numbers_in
from app.errors import ValidationError
from app.i18n import _, current_language, labelled, pgettext, weekday_names
from ui import style
from ui.style import Tone


def details_html(entry: DirectoryEntry) -> str:
    """What the details panel shows. The address of a confidential entry is never in it."""
    language = current_language()
    lines = [f"<h3>{escape(entry.name(language))}</h3>"]
    badge = entry.service_type.label
    if entry.verification is Verification.TO_VERIFY:
        warning = style.colour(Tone.WARNING).name()
        badge += f" · <b style='color:{warning}'>" + escape(_("TO VERIFY")) + "</b>"
    if entry.retired:
        badge += " · " + escape(pgettext("directory entry", "retired"))
    lines.append(f"<p>{badge}</p>")
    if entry.description(language):
        lines.append(f"<p>{escape(belgian_numbers_in(entry.description(language)))}</p>")
    if entry.phone:
        lines.append(f"<p style='font-size:15pt'><b>{escape(belgian_display(entry.phone))}</b></p>")
    if entry.other_phones:
        others = ", ".join(belgian_display(phone) for phone in entry.other_phones)
        lines.append("<p>" + escape(_("Other numbers: {phones}").format(phones=others)) + "</p>")
    lines.append("<p>" + _hours_html(entry) + "</p>")
    if entry.languages:
        spoken = ", ".join(ContactLanguage(code).label for code in entry.languages)
        lines.append("<p>" + escape(_("Languages: {languages}").format(languages=spoken)) + "</p>")
    if entry.confidential_address:
        lines.append("<p><i>" + escape(_("Address confidential: never given out.")) + "</i></p>")
    elif entry.address:
        lines.append("<p>" + escape(_("Address: {address}").format(address=entry.address)) + "</p>")
    for label, value in ((_("Website"), entry.website), (_("E-mail"), entry.email)):
        if value:
            lines.append("<p>" + escape(labelled(label, value)) + "</p>")
    lines.append("<p>" + escape(_("Area served: {area}").format(area=area_text(entry))) + "</p>")
    lines.append(
        "<p><small>"
        + escape(entry.verified_text())
        + "<br>"
        + escape(
            _("Source: {sources}").format(
                sources=" ; ".join(source_text(source) for source in entry.sources) or "—"
            )
        )
        + "</small></p>"
    )
    return "".join(lines)


def source_text(source: Source) -> str:
    """The address and the date its page shows: how old the fact may be."""
    if source.dated:
        return f"{source.url} ({source.dated})"
    # TRANSLATORS: a web page given as the source of a directory entry shows no date.
    return _("{url} (undated)").format(url=source.url)


def _hours_html(entry: DirectoryEntry) -> str:
    hours = entry.hours
    note = entry.hours_note.get(current_language()) or next(iter(entry.hours_note.values()), "")
    if hours.always_open:
        text = escape(_("Open day and night, every day (24/7)."))
    elif hours.unknown:
        text = escape(_("Opening hours not known."))
    else:
        days = weekday_names("abbreviated")
        text = "<br>".join(
            f"{escape(days[day])} {escape(day_slots_text(hours, day) or _('closed'))}"
            for day in range(7)
        )
    return text + (f"<br><i>{escape(belgian_numbers_in(note))}</i>" if note else "")


def area_text(entry: DirectoryEntry) -> str:
    area = entry.area
    parts = [_("the whole country")] if area.national else []
    parts += [_(REGION_LABELS[r]) for r in sorted(area.regions)]
    parts += [_(PROVINCE_LABELS[p]) for p in sorted(area.provinces)]
    names = []
    for nis in sorted(area.municipalities):
        try:
            names.append(municipality(nis).name(current_language()))
        except ValidationError:  # a municipality this Havre does not list by name
            names.append(nis)
    return ", ".join(parts + names)
