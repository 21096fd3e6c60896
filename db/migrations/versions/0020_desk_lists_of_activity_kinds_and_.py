"""desk lists of activity kinds and audiences

Revision ID: 0020
Revises: 0019

Each desk keeps its own lists of activity kinds and audiences, each entry counted under an
answer of the network's list. Every desk starts with the kinds and audiences its services'
reports name, in four languages; the entries that were the fixed lists keep their codes as
ids, so the activities recorded before keep their kind and audience. An activity names an
entry by its id (36 characters). Going back down drops the lists: activities of a kind the
desk added are then read by the older version as it reads any unknown code ("other").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (id, the network's answer, names in fr, nl, en, de): the data as this revision wrote it,
# not read from the application, which may change after.
KINDS = (
    (
        "white_ribbon",
        "white_ribbon",
        "Action de sensibilisation du 25 novembre (Ruban blanc)",
        "Sensibiliseringsactie van 25 november (Witte Lint)",
        "Awareness action of 25 November (White Ribbon)",
        "Sensibilisierungsaktion zum 25. November (Weißes Band)",
    ),
    (
        "la_cabane",
        "la_cabane",
        "« La cabane » (enfants de 5 à 10 ans)",
        "'La cabane' (kinderen van 5 tot 10 jaar)",
        "“La cabane” (children aged 5 to 10)",
        "„La cabane“ (Kinder von 5 bis 10 Jahren)",
    ),
    (
        "discussion_group",
        "discussion_group",
        "Groupe de parole pour mères",
        "Praatgroep voor moeders",
        "Discussion group for mothers",
        "Gesprächsgruppe für Mütter",
    ),
    (
        "support_group",
        "support_group",
        "Groupe de soutien pour enfants et jeunes victimes ou témoins",
        "Steungroep voor kinderen en jongeren, slachtoffers of getuigen",
        "Support group for children and young victims or witnesses",
        "Begleitgruppe für Kinder und Jugendliche, Opfer oder Zeugen",
    ),
    (
        "digital_workshop",
        "digital_workshop",
        "Atelier numérique pour femmes",
        "Digitaal atelier voor vrouwen",
        "Digital workshop for women",
        "Digitale Werkstatt für Frauen",
    ),
    (
        "animation_module",
        "animation_module",
        "Module d'animation (capsules vidéo, jeux de rôle, théâtre)",
        "Animatiemodule (filmpjes, rollenspel, theater)",
        "Animation module (video capsules, role play, theatre)",
        "Animationsmodul (Videos, Rollenspiel, Theater)",
    ),
    (
        "professional_training",
        "professional_training",
        "Formation pour professionnels",
        "Vorming voor professionals",
        "Training for professionals",
        "Schulung für Fachkräfte",
    ),
    (
        "platform_meeting",
        "platform_meeting",
        "Réunion de la plateforme du réseau",
        "Platformvergadering van het netwerk",
        "Network platform meeting",
        "Plattformtreffen des Netzwerks",
    ),
    ("other", "other", "Autre action", "Andere actie", "Other action", "Andere Aktion"),
)
AUDIENCES = (
    ("children", "children", "Enfants", "Kinderen", "Children", "Kinder"),
    (
        "la_cabane_parents",
        "parents",
        "Parents accueillis en parallèle de « La cabane »",
        "Ouders, parallel aan 'La cabane' opgevangen",
        "Parents received alongside “La cabane”",
        "Eltern, parallel zu „La cabane“ empfangen",
    ),
    (
        "young_people",
        "young_people",
        "Jeunes, élèves",
        "Jongeren, leerlingen",
        "Young people, pupils",
        "Jugendliche, Schüler",
    ),
    ("women", "women", "Femmes", "Vrouwen", "Women", "Frauen"),
    ("parents", "parents", "Parents", "Ouders", "Parents", "Eltern"),
    ("adults", "adults", "Adultes", "Volwassenen", "Adults", "Erwachsene"),
    (
        "professionals",
        "professionals",
        "Professionnels",
        "Professionals",
        "Professionals",
        "Fachkräfte",
    ),
    (
        "general_public",
        "general_public",
        "Grand public",
        "Breed publiek",
        "General public",
        "Breite Öffentlichkeit",
    ),
    (
        "network_referents",
        "network_referents",
        "Référents du réseau",
        "Referenten van het netwerk",
        "Referents of the network",
        "Bezugspersonen des Netzwerks",
    ),
)


def upgrade() -> None:
    entries = op.create_table(
        "activity_list_entry",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("list_name", sa.String(length=16), nullable=False),
        sa.Column("network", sa.String(length=32), nullable=False),
        sa.Column("name_fr", sa.String(length=80), nullable=False),
        sa.Column("name_nl", sa.String(length=80), nullable=False),
        sa.Column("name_en", sa.String(length=80), nullable=False),
        sa.Column("name_de", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired", sa.Boolean(create_constraint=True, name="retired"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_list_entry")),
    )
    op.bulk_insert(
        entries,
        [
            {
                "id": entry_id,
                "list_name": list_name,
                "network": network,
                "name_fr": fr,
                "name_nl": nl,
                "name_en": en,
                "name_de": de,
                "position": position,
                "retired": False,
            }
            for list_name, rows in (("kind", KINDS), ("audience", AUDIENCES))
            for position, (entry_id, network, fr, nl, en, de) in enumerate(rows)
        ],
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.VARCHAR(length=32), type_=sa.String(length=36)
        )
        batch_op.alter_column(
            "audience", existing_type=sa.VARCHAR(length=24), type_=sa.String(length=36)
        )


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.alter_column(
            "audience", existing_type=sa.String(length=36), type_=sa.VARCHAR(length=24)
        )
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=36), type_=sa.VARCHAR(length=32)
        )
    op.drop_table("activity_list_entry")
