"""What the situation tells about the violence: the GBVIMS core type and the Belgian
partner / intrafamilial split. Both are derived, never typed in; a counsellor may correct
the GBVIMS type, and the correction is stored beside the derived value, not over it."""

from __future__ import annotations

from collections.abc import Collection

from app.domain.codes import GbvimsType, Relationship, SexualSubtype, ViolenceForm, ViolenceScope

# Forms that GBVIMS counts as denial of resources, opportunities or services.
_DENIAL = frozenset({ViolenceForm.ECONOMIC, ViolenceForm.ADMINISTRATIVE})
# Forms that GBVIMS counts as psychological / emotional abuse.
_PSYCHOLOGICAL = frozenset(
    {
        ViolenceForm.PSYCHOLOGICAL,
        ViolenceForm.COERCIVE_CONTROL,
        ViolenceForm.THREATS,
        ViolenceForm.STALKING,
        ViolenceForm.DIGITAL,
        ViolenceForm.HONOUR,
    }
)


def gbvims_type(forms: Collection[ViolenceForm], sexual_subtype: SexualSubtype) -> GbvimsType:
    """The one GBVIMS core type, by the GBVIMS hierarchy: the first that applies wins.

    Penetration makes it rape; any other sexual violence, including an unknown subtype,
    is sexual assault (the classification tool asks "penetration?" and answers no unless
    it is known); then physical assault, forced marriage, denial of resources,
    psychological abuse; anything else is non-GBV.
    """
    if ViolenceForm.SEXUAL in forms:
        if sexual_subtype is SexualSubtype.PENETRATION:
            return GbvimsType.RAPE
        return GbvimsType.SEXUAL_ASSAULT
    if ViolenceForm.PHYSICAL in forms:
        return GbvimsType.PHYSICAL_ASSAULT
    if ViolenceForm.FORCED_MARRIAGE in forms:
        return GbvimsType.FORCED_MARRIAGE
    if _DENIAL & set(forms):
        return GbvimsType.DENIAL_OF_RESOURCES
    if _PSYCHOLOGICAL & set(forms):
        return GbvimsType.PSYCHOLOGICAL
    return GbvimsType.NON_GBV


def violence_scope(relationship: Relationship) -> ViolenceScope:
    """Partner violence (current or former partner, 2006 definition) or other intrafamilial
    violence; a cohabitant who is not family is outside the family."""
    if relationship in (Relationship.PARTNER_CURRENT, Relationship.PARTNER_FORMER):
        return ViolenceScope.PARTNER
    if relationship in (
        Relationship.PARENT_TO_CHILD,
        Relationship.CHILD_TO_PARENT,
        Relationship.SIBLING,
        Relationship.OTHER_FAMILY,
    ):
        return ViolenceScope.INTRAFAMILIAL
    if relationship is Relationship.UNKNOWN:
        return ViolenceScope.UNKNOWN
    return ViolenceScope.OTHER
