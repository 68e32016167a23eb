"""The inspection checklist of each facility kind: what a grid member looks at on site.

Kept in code (not a model) because the items are fixed by the office's inspection rules and
a report stores the answers keyed by item, so a later wording change never rewrites a report."""

from django.utils.translation import gettext_lazy as _

from .choices import FacilityKindChoices as K

__all__ = ["CHECKLISTS", "checklist_for"]

CHECKLISTS = {
    K.CIVIL_DEFENCE_WORKS: [
        ("door_leaves", _("Protective door leaves intact, hinges lubricated")),
        ("seals", _("Door seals and cushions intact, not aged or missing")),
        ("rust", _("No rust on door frames, leaves or locking bolts")),
        ("closing", _("Doors close tightly and in alignment")),
        ("ventilation", _("Ventilation and filtration equipment runs")),
        ("lighting", _("Lighting and emergency lighting work")),
        ("signage", _("Signage and evacuation signs complete and visible")),
        ("drainage", _("No water seepage or standing water")),
        ("occupancy", _("No unauthorised occupation or flammable storage")),
    ],
    K.ALARM_SIREN: [
        ("power", _("Mains and backup power connected")),
        ("sound_test", _("Sound test passed")),
        ("housing", _("Housing, mounting and lightning protection sound")),
        ("control", _("Remote control terminal answers")),
        ("access", _("Access to the roof or mast is secured")),
    ],
    K.RESERVE_WAREHOUSE: [
        ("location", _("Warehouse is at the recorded location")),
        ("stock_records", _("Stock records agree with the materials on the shelves")),
        ("storage", _("Materials stored dry, stacked and labelled")),
        ("fire_safety", _("Fire extinguishers present and in date")),
        ("security", _("Locks, guard and surveillance in order")),
    ],
    K.EMERGENCY_SHELTER: [
        ("capacity_sign", _("Capacity and shelter signs posted")),
        ("evacuation_routes", _("Evacuation routes unobstructed")),
        ("water_supply", _("Emergency water supply available")),
        ("power_lighting", _("Power and lighting work")),
        ("sanitation", _("Sanitation facilities usable")),
        ("supplies", _("Emergency supplies stocked")),
    ],
    K.MILITARY_FACILITY: [
        ("perimeter", _("Perimeter and protection zone intact")),
        ("markers", _("Protection markers and warning signs in place")),
        ("encroachment", _("No construction or encroachment in the protection zone")),
        ("surroundings", _("Surroundings show no security risk")),
    ],
    # The standard build of a township workstation and a village contact point.
    K.WORKSTATION: [
        ("plaque", _("Plaque and signboard posted")),
        ("office", _("Dedicated office room with duty desk")),
        ("staffing", _("Director and staff appointed, duty roster posted")),
        ("rules", _("Working rules and responsibilities on the wall")),
        ("ledgers", _("Ledgers of facilities, people and inspections kept up to date")),
        ("communication", _("Telephone and alarm communication work")),
        ("equipment", _("Equipment and reserves complete (lights, escape ropes, loudhailers, first-aid kits)")),
    ],
    K.CONTACT_POINT: [
        ("plaque", _("Plaque posted at the village committee")),
        ("head", _("Head appointed (usually the village party secretary), contact list posted")),
        ("equipment", _("Equipment and reserves complete (lights, escape ropes, loudhailers, first-aid kits)")),
        ("ledgers", _("Ledger of the village's facilities and grid members kept")),
        ("communication", _("Alarm and notification channel to the workstation works")),
    ],
}


def checklist_for(kind):
    """[(key, label), ...] of the checklist for a facility kind."""
    return CHECKLISTS.get(kind, [])
