"""The tables of a desk database (SQLAlchemy 2 typed mappings).

Constraint names come from one naming convention so that Alembic's batch mode can always
find and rebuild them on SQLite.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    TypeDecorator,
    text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes in, stored as naive UTC text, aware UTC out."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        assert isinstance(value, datetime)
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Desk(Base):
    """The one desk this database belongs to."""

    __tablename__ = "desk"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(12))
    organisation: Mapped[str] = mapped_column(String(160))
    nis_code: Mapped[str] = mapped_column(String(5))
    network_name: Mapped[str | None] = mapped_column(String(120))
    language: Mapped[str] = mapped_column(String(5))
    is_demo: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="is_demo"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DeskSigningKey(Base):
    """The desk's Ed25519 key; it never leaves the encrypted database. The newest row is
    the key in use; an older one keeps only its public half once replaced."""

    __tablename__ = "desk_signing_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    desk_id: Mapped[str] = mapped_column(ForeignKey("desk.id"))
    algorithm: Mapped[str] = mapped_column(String(16))
    private_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The key-change statement: the previous key's signature over the change to this one.
    change_signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class Setting(Base):
    """Desk settings that matter for security (idle lock...), kept inside the encryption."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    __tablename__ = "user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    user_name: Mapped[str] = mapped_column(String(64))
    # The casefolded name, unique: "Anna" and "anna" are the same account.
    name_key: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="active"))
    must_change_password: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="must_change_password")
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class UserRole(Base):
    """`role` holds a code of app.domain.roles.Role. The database checks it against the
    roles of the migration that last changed them (0001 so far): the list is the domain's,
    which this layer does not import, and a new role needs a migration anyway."""

    __tablename__ = "user_role"

    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), primary_key=True)
    role: Mapped[str] = mapped_column(String(16), primary_key=True)


class AuditEvent(Base):
    """Who did what and when: ids and codes only, never case data."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    action: Mapped[str] = mapped_column(String(48))
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(36))
    outcome: Mapped[str] = mapped_column(String(16))
    # db/audit_chain.py; set once when the event is written (triggers refuse any change
    # after that, and any deletion).
    chain_hash: Mapped[str | None] = mapped_column(String(64))
    # The account key of `user_id` over `chain_hash` (app/services/grants.py): an event of
    # another account cannot be rewritten, nor one before it, without it showing.
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)


class Draft(Base):
    """Unsaved input of a page, kept encrypted while the desk is locked."""

    __tablename__ = "draft"

    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), primary_key=True)
    page: Mapped[str] = mapped_column(String(32), primary_key=True)
    content: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CaseCounter(Base):
    """The last case number given per year; it only goes up, so codes are never reused."""

    __tablename__ = "case_counter"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(Integer)


class Person(Base):
    """What is known about a person, without who they are (that is `Identity`).

    Enumerated answers are stored as their stable codes (app/domain/codes.py); answers
    with several values as their codes joined by commas, in a fixed order.
    """

    __tablename__ = "person"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    age: Mapped[int | None] = mapped_column(Integer)
    sex: Mapped[str] = mapped_column(String(16))
    municipality: Mapped[str] = mapped_column(String(12))
    disability: Mapped[str] = mapped_column(String(16))
    children: Mapped[str] = mapped_column(String(16))
    children_exposed: Mapped[str] = mapped_column(String(16))
    may_recontact: Mapped[str] = mapped_column(String(16))
    recontact_channel: Mapped[str | None] = mapped_column(String(16))
    safe_times: Mapped[str] = mapped_column(String(120))
    # Safe hours per weekday, "weekday:from-to" joined by commas (app/domain/safe_hours.py).
    safe_hours: Mapped[str] = mapped_column(String(240), server_default="")
    voicemail_ok: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="voicemail"))
    retention_class: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Identity(Base):
    """Who a person is: kept apart so that it can be forgotten alone (the statistics stay)."""

    __tablename__ = "identity"

    # An integer key (SQLite's rowid) so that the full-text index `identity_search` can
    # follow the row through edits and purges (db/fulltext.py).
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), unique=True)
    pseudonym: Mapped[str] = mapped_column(String(120))
    # The pseudonym without accents and case, for search; as secret as the pseudonym.
    pseudonym_key: Mapped[str] = mapped_column(String(120), index=True)
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(160))
    code_word: Mapped[str] = mapped_column(String(80))
    retention_class: Mapped[str] = mapped_column(String(24))


class Consent(Base):
    """One consent decision per scope; withdrawing sets `withdrawn_on`, never deletes."""

    __tablename__ = "consent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("person.id"), index=True)
    scope: Mapped[str] = mapped_column(String(24))
    decision: Mapped[str] = mapped_column(String(16))
    given_by: Mapped[str] = mapped_column(String(24))
    legal_basis: Mapped[str] = mapped_column(String(24))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class CaseFile(Base):
    """A case of the desk, with its short code. An anonymous case has no person."""

    __tablename__ = "case_file"
    # Covering indexes: the case list (newest first, filtered by status and date) and a
    # person's cases are read from the index alone, never from the table.
    __table_args__ = (
        Index("ix_case_file_list", "opened_at", "code", "id", "status"),
        Index("ix_case_file_person", "person_id", "opened_at", "code", "id", "status"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    code: Mapped[str] = mapped_column(String(24), unique=True)
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), index=True)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    person_id: Mapped[str | None] = mapped_column(ForeignKey("person.id"))
    created_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # Raised by every edit of the case, its person, identity or situation: an edit made
    # from an older version is refused instead of overwriting (optimistic locking).
    version: Mapped[int] = mapped_column(Integer)
    retention_class: Mapped[str] = mapped_column(String(24))


class Contact(Base):
    """One contact with the desk: a visit, a call, a letter."""

    __tablename__ = "contact"
    # The date with the case: the retention check reads which cases were active since a
    # day from the index alone (db/retention_queries.py).
    __table_args__ = (Index("ix_contact_occurred_at_case", "occurred_at", "case_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime())
    mode: Mapped[str] = mapped_column(String(24))
    person_role: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(8))
    interpreter: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="interpreter"))
    referred_from: Mapped[str] = mapped_column(String(32))
    requests: Mapped[str] = mapped_column(String(160))
    already_counted: Mapped[str] = mapped_column(String(16))
    # A witness's, relative's or professional's contact only: how the caller knows the
    # victim and what they know of her; never the caller's own age or sex.
    caller_relation: Mapped[str | None] = mapped_column(String(24))
    victim_age: Mapped[str | None] = mapped_column(String(16))
    victim_sex: Mapped[str | None] = mapped_column(String(16))
    # Free text of the identity's retention class: erased with the identity, never
    # counted, exported or written to the audit log.
    note: Mapped[str | None] = mapped_column(String(500))
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Situation(Base):
    """The violence disclosed in a case. The GBVIMS type is derived; a counsellor's
    correction is kept in its own column so the rule's answer stays visible."""

    __tablename__ = "situation"

    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    relationship: Mapped[str] = mapped_column(String(24))
    forms: Mapped[str] = mapped_column(String(240))
    sexual_subtype: Mapped[str] = mapped_column(String(16))
    repetition: Mapped[str] = mapped_column(String(16))
    last_incident: Mapped[date | None] = mapped_column(Date)
    last_incident_precision: Mapped[str] = mapped_column(String(8))
    perpetrator_sex: Mapped[str] = mapped_column(String(16))
    perpetrator_age: Mapped[str] = mapped_column(String(16))
    perpetrator_count: Mapped[str] = mapped_column(String(16))
    perpetrator_cohabiting: Mapped[str] = mapped_column(String(16))
    police_complaint: Mapped[str] = mapped_column(String(16))
    protection: Mapped[str] = mapped_column(String(80))
    gbvims_derived: Mapped[str] = mapped_column(String(24))
    gbvims_corrected: Mapped[str | None] = mapped_column(String(24))
    corrected_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class ListeningSession(Base):
    """A listening or counselling session of a case. Notes are for counsellors only."""

    __tablename__ = "listening_session"
    __table_args__ = (
        Index("ix_listening_session_held_at_case", "held_at", "case_id"),
        # Only the sessions that still have notes: what a notes purge looks for.
        Index(
            "ix_listening_session_notes_case",
            "case_id",
            sqlite_where=text("sealed_notes IS NOT NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    held_at: Mapped[datetime] = mapped_column(UtcDateTime())
    duration_minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(16))
    session_type: Mapped[str] = mapped_column(String(24))
    topics: Mapped[str] = mapped_column(String(240))
    risk_tool: Mapped[str] = mapped_column(String(24))
    risk_level: Mapped[str | None] = mapped_column(String(16))
    safety_plan: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="safety_plan"))
    brochure_language: Mapped[str | None] = mapped_column(String(8))
    next_appointment: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Encrypted once more with the notes key, which only counsellors hold (app/keyfile.py);
    # None when the counsellor wrote no notes.
    sealed_notes: Mapped[bytes | None] = mapped_column(LargeBinary)
    counsellor_id: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Referral(Base):
    """A referral to a partner service, with a status that is updated later."""

    __tablename__ = "referral"
    __table_args__ = (Index("ix_referral_referred_on_case", "referred_on", "case_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    # Indexed, like every reference to a row that a purge deletes: deleting a session or a
    # consent checks the referrals pointing at it.
    session_id: Mapped[str | None] = mapped_column(ForeignKey("listening_session.id"), index=True)
    referred_on: Mapped[date] = mapped_column(Date)
    service_type: Mapped[str] = mapped_column(String(32))
    partner_name: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(32))
    consent_id: Mapped[str | None] = mapped_column(ForeignKey("consent.id"), index=True)
    override_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Handout(Base):
    """Printed material given out (a brochure, a wallet card, a referral slip), for the
    monthly counts: what, in which language, how many, on a case or at desk level."""

    __tablename__ = "handout"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    handed_on: Mapped[date] = mapped_column(Date, index=True)
    material: Mapped[str] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(8))
    copies: Mapped[int] = mapped_column(Integer)
    case_id: Mapped[str | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))


class DirectoryEntryRow(Base):
    """A partner service of the directory. The entry itself is `document` (JSON, see
    app/domain/directory.py); the other columns are what the search filters and orders on.
    Its words are indexed in `directory_search` (db/fulltext.py) under the same integer id."""

    __tablename__ = "directory_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str] = mapped_column(String(16))
    service_type: Mapped[str] = mapped_column(String(32), index=True)
    # Lists as ",a,b," so that one LIKE '%,a,%' tests membership.
    languages: Mapped[str] = mapped_column(String(80))
    area_national: Mapped[bool] = mapped_column(
        Boolean(create_constraint=True, name="area_national")
    )
    area_regions: Mapped[str] = mapped_column(String(120))
    area_provinces: Mapped[str] = mapped_column(String(200))
    area_municipalities: Mapped[str] = mapped_column(Text)
    always_open: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="always_open"))
    verification: Mapped[str] = mapped_column(String(16))
    # The day of the document's `last_verified`, for the entries due for review.
    last_verified: Mapped[date | None] = mapped_column(Date, index=True)
    retired: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="retired"))
    sort_name: Mapped[str] = mapped_column(String(160))
    document: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DirectoryOpening(Base):
    """One opening slot of an entry, in minutes from midnight (local time), for "open now"."""

    __tablename__ = "directory_opening"

    entry_id: Mapped[int] = mapped_column(ForeignKey("directory_entry.id"), primary_key=True)
    weekday: Mapped[int] = mapped_column(Integer, primary_key=True)
    opens_minute: Mapped[int] = mapped_column(Integer, primary_key=True)
    closes_minute: Mapped[int] = mapped_column(Integer)


class TrustedKey(Base):
    """A public key this desk trusts: the network coordinator's, for directory packs, or a
    desk's, for counts files. A desk is its key: code, name and NIS code are what it said
    of itself, shown with the key's fingerprint."""

    __tablename__ = "trusted_key"

    public_key: Mapped[str] = mapped_column(String(64), primary_key=True)  # Ed25519, hex
    desk_code: Mapped[str] = mapped_column(String(12))
    desk_name: Mapped[str] = mapped_column(String(120))
    nis_code: Mapped[str | None] = mapped_column(String(5))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # A key its desk replaced (by a key-change statement it signed) signs nothing any more.
    replaced_by: Mapped[str | None] = mapped_column(String(64))
    replaced_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Activity(Base):
    """An awareness action or group work of the desk, with its participant count (no names)."""

    __tablename__ = "activity"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    # The id of an entry of the desk's lists (activity_list_entry), not a foreign key: an
    # activity keeps its kind when the entry is retired, and reads a code no entry holds
    # (from before the lists, or a newer version) as the network's answer of that code.
    kind: Mapped[str] = mapped_column(String(36))
    title: Mapped[str] = mapped_column(String(160))
    place: Mapped[str] = mapped_column(String(160))
    audience: Mapped[str] = mapped_column(String(36))
    participants: Mapped[int] = mapped_column(Integer)
    # A platform meeting held under a partnership agreement of the network.
    partnership_id: Mapped[str | None] = mapped_column(ForeignKey("partnership.id"), index=True)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActivityListEntry(Base):
    """A kind of activity or an audience of the desk's own lists, with its names and the
    network's answer it is counted under (app/domain/activity_lists.py). Retired, never
    deleted: old activities keep showing it."""

    __tablename__ = "activity_list_entry"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    list_name: Mapped[str] = mapped_column(String(16))  # "kind" or "audience"
    network: Mapped[str] = mapped_column(String(32))
    name_fr: Mapped[str] = mapped_column(String(80))
    name_nl: Mapped[str] = mapped_column(String(80))
    name_en: Mapped[str] = mapped_column(String(80))
    name_de: Mapped[str] = mapped_column(String(80))
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="retired"))


class HousingUnit(Base):
    """An emergency housing unit, available from a day (and until a day once given up)."""

    __tablename__ = "housing_unit"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    available_from: Mapped[date] = mapped_column(Date)
    available_until: Mapped[date | None] = mapped_column(Date)


class HousingStay(Base):
    """A period a unit was occupied: nights from `starts_on` up to the day before `ends_on`
    (the day of leaving); no identity, the occupancy is all the counts need."""

    __tablename__ = "housing_stay"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(ForeignKey("housing_unit.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))


class DeskAgeIdentity(Base):
    """The desk's age (X25519) identity: counts files of the network are encrypted to its
    recipient. Like the signing key, it never leaves the encrypted database."""

    __tablename__ = "desk_age_identity"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    identity: Mapped[str] = mapped_column(String(80))
    recipient: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CountsExport(Base):
    """A monthly counts file this desk wrote: its revision only goes up per month, so the
    network knows which of two files of the same month is the newer."""

    __tablename__ = "counts_export"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload_sha256: Mapped[str] = mapped_column(String(64))
    recipient: Mapped[str] = mapped_column(String(80))
    exported_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    # The audit head the file carried: the network holds it signed, outside the desk.
    audit_head: Mapped[int | None] = mapped_column(Integer)
    audit_hash: Mapped[str | None] = mapped_column(String(64))


class ReceivedCounts(Base):
    """The ledger of counts files the network imported; one current file per desk and month,
    the ones it replaced are kept with `replaced_by` set."""

    __tablename__ = "received_counts"
    __table_args__ = (Index("ix_received_counts_desk_period", "desk_code", "period"),)

    export_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    desk_code: Mapped[str] = mapped_column(String(12))
    desk_name: Mapped[str] = mapped_column(String(120))
    nis_code: Mapped[str] = mapped_column(String(5))
    period: Mapped[str] = mapped_column(String(7))
    revision: Mapped[int] = mapped_column(Integer)
    exported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    payload_sha256: Mapped[str] = mapped_column(String(64))
    signing_key: Mapped[str] = mapped_column(String(64))
    replaced_by: Mapped[str | None] = mapped_column(String(36))
    # The head of the desk's audit chain when it exported (0 and "" for files imported
    # before it was recorded): a later file with a shorter log means a rolled-back desk.
    audit_head: Mapped[int] = mapped_column(Integer, server_default="0")
    audit_hash: Mapped[str] = mapped_column(String(64), server_default="")


class NetworkCount(Base):
    """One number of a desk's month at the network: upserted, never added together."""

    __tablename__ = "network_count"

    desk_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    element: Mapped[str] = mapped_column(String(40), primary_key=True)
    combo: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class FrozenMonth(Base):
    """A month whose counts were kept before a retention purge removed cases behind them:
    from then on its counts are read from `frozen_count`, so past months never change."""

    __tablename__ = "frozen_month"

    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    frozen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FrozenCount(Base):
    """One number of a frozen month (only the cells that are not zero)."""

    __tablename__ = "frozen_count"

    period: Mapped[str] = mapped_column(ForeignKey("frozen_month.period"), primary_key=True)
    element: Mapped[str] = mapped_column(String(40), primary_key=True)
    combo: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(Integer)


class RecontactItem(Base):
    """A call-back the desk owes: a person the police referred who agreed to be recontacted,
    or a call-back promised. Open until the person is reached, declines, or the attempts run
    out; who may be called, when and how is the person's (`Person`) and their consent's."""

    __tablename__ = "recontact_item"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    source: Mapped[str] = mapped_column(String(24))
    police_zone: Mapped[str] = mapped_column(String(80))
    received_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), index=True)
    closed_reason: Mapped[str | None] = mapped_column(String(24))
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class RecontactAttempt(Base):
    """One try to reach the person of a recontact item, with its outcome and the next step."""

    __tablename__ = "recontact_attempt"
    __table_args__ = (Index("ix_recontact_attempt_attempted_at_item", "attempted_at", "item_id"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("recontact_item.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    channel: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(24))
    next_step: Mapped[str] = mapped_column(String(24))
    next_due: Mapped[date | None] = mapped_column(Date)
    # Why the person was tried outside their safe times (asked for every such attempt).
    outside_window_reason: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Appointment(Base):
    """A next session or an accompaniment (police, court, doctor) of a case."""

    __tablename__ = "appointment"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    minutes: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(160))
    status: Mapped[str] = mapped_column(String(16))
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Protocol(Base):
    """One version of an intervention protocol (a step-by-step checklist). Versions are
    never replaced: a contact's ticks name the version they were made on."""

    __tablename__ = "protocol"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    origin: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)  # JSON, see app/domain/protocols.py
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProtocolUse(Base):
    """A protocol followed during a contact, with the steps ticked."""

    __tablename__ = "protocol_use"
    __table_args__ = (
        ForeignKeyConstraint(
            ["protocol_key", "protocol_version"], ["protocol.key", "protocol.version"]
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contact.id"), index=True)
    protocol_key: Mapped[str] = mapped_column(String(64))
    protocol_version: Mapped[int] = mapped_column(Integer)
    ticked: Mapped[str] = mapped_column(Text)  # step ids joined by commas, in the steps' order
    recorded_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    retention_class: Mapped[str] = mapped_column(String(24))


class Referent(Base):
    """A referent of the network in a municipality or CPAS: staff data, not client data."""

    __tablename__ = "referent"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str] = mapped_column(String(160))
    municipality: Mapped[str] = mapped_column(String(12))
    role: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40))
    email: Mapped[str] = mapped_column(String(160))
    active: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="active"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class Partnership(Base):
    """A partnership agreement of the network, with its dates and when to prepare renewal."""

    __tablename__ = "partnership"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    partner: Mapped[str] = mapped_column(String(160))
    subject: Mapped[str] = mapped_column(String(160))
    signed_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    reminder_days: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ActivityAttendance(Base):
    """A referent who attended a training or a platform meeting."""

    __tablename__ = "activity_attendance"

    activity_id: Mapped[str] = mapped_column(ForeignKey("activity.id"), primary_key=True)
    referent_id: Mapped[str] = mapped_column(ForeignKey("referent.id"), primary_key=True)


class PublicationRegister(Base):
    """What the network has published since the coordinator started this register: a new
    publication is protected together with every earlier one of the current register."""

    __tablename__ = "publication_register"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    # The key of the rounding draws (app/disclosure/rounding.py): secret, so that nobody
    # can tell which way a published number was rounded.
    secret: Mapped[bytes] = mapped_column(LargeBinary)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class PublicationRecord(Base):
    """One publication written under a register: who, when, what."""

    __tablename__ = "publication_record"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    register_id: Mapped[int] = mapped_column(ForeignKey("publication_register.id"))
    published_at: Mapped[datetime] = mapped_column(UtcDateTime())
    published_by: Mapped[str] = mapped_column(ForeignKey("user.id"))
    level: Mapped[str] = mapped_column(String(16))
    method: Mapped[str] = mapped_column(String(16))
    k: Mapped[int | None] = mapped_column(Integer)
    first_period: Mapped[str] = mapped_column(String(7))
    last_period: Mapped[str] = mapped_column(String(7))
    format: Mapped[str] = mapped_column(String(20))


class PublishedCell(Base):
    """A number of the register: published (what anyone can now tell of it, an interval
    that is one point for an exact value) or withheld (low and high empty). Cells and
    values only, never people."""

    __tablename__ = "published_cell"

    register_id: Mapped[int] = mapped_column(
        ForeignKey("publication_register.id"), primary_key=True
    )
    period: Mapped[str] = mapped_column(String(7), primary_key=True)
    element: Mapped[str] = mapped_column(String(40), primary_key=True)
    combo: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_unit: Mapped[str] = mapped_column(String(5), primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("publication_record.id"))
    value: Mapped[int | None] = mapped_column(Integer)
    low: Mapped[int | None] = mapped_column(Integer)
    high: Mapped[int | None] = mapped_column(Integer)
    k: Mapped[int | None] = mapped_column(Integer)


class DeskRestore(Base):
    """A backup put in place of the desk: by whom, from which backup, and how much of the
    replaced desk's audit log it does not hold. Its audit event carries a digest of this
    row, so the row cannot be changed without the chain showing it."""

    __tablename__ = "desk_restore"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    restored_at: Mapped[datetime] = mapped_column(UtcDateTime())
    restored_by: Mapped[str] = mapped_column(String(64))  # the user name that authorised it
    backup_name: Mapped[str] = mapped_column(String(255))
    backup_desk_code: Mapped[str] = mapped_column(String(12))
    backup_head: Mapped[int] = mapped_column(Integer)  # the backup's last audit event
    # Empty when the desk replaced did not open (or there was none): what it held is unknown.
    replaced_head: Mapped[int | None] = mapped_column(Integer)
    events_missing: Mapped[int | None] = mapped_column(Integer)
    kept_disabled: Mapped[int] = mapped_column(Integer)
    other_desk: Mapped[bool] = mapped_column(Boolean(create_constraint=True, name="other_desk"))


class RoleGrant(Base):
    """A statement that an account holds these roles, with this account key, signed by an
    administrator's account key (or the desk's authority key): app/services/grants.py.
    The latest grant of an account is its roles; a row without a valid signature gives
    nothing. Grants are only added, never changed."""

    __tablename__ = "role_grant"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("user.id"), index=True)
    account_key: Mapped[bytes] = mapped_column(LargeBinary)  # Ed25519 public key
    roles: Mapped[str] = mapped_column(String(64))  # role codes, sorted, comma-separated
    # The administrator who signed it; empty for the desk's authority key.
    granted_by: Mapped[str | None] = mapped_column(ForeignKey("user.id"))
    granted_at: Mapped[datetime] = mapped_column(UtcDateTime())
    signature: Mapped[bytes] = mapped_column(LargeBinary)
