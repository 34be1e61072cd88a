"""Who may do what: the rules of access, as data. Pure Python, no Django.

A user has one role, in one organisation. Each kind of data (a *resource*) lists, per action, which roles may do it
and on what scope: ``ALL`` objects, or only their ``OWN`` (their municipality's or their organisation's). A role
that is not listed for an action may not do it at all. ``regietafel.access.scope`` applies these rules to querysets;
nothing else decides access.
"""

from enum import StrEnum


class Role(StrEnum):
    NONE = "none"  # signed in, waiting for a beheerder to assign a role
    ADMIN = "beheerder"  # the program team: everything
    MUNICIPALITY = "gemeente"  # its own municipality's figures and persons; the region's aggregates
    EXECUTIVE = "bestuurder"  # all aggregates; decides in meetings
    PARTNER = "partner"  # aggregates; what is referred or assigned to its organisation
    PROVINCE = (
        "provincie"  # the aggregates of its own province's regions and municipalities, nothing person-level
    )


ALL = "all"
OWN = "own"

A, M, E, P, V = Role.ADMIN, Role.MUNICIPALITY, Role.EXECUTIVE, Role.PARTNER, Role.PROVINCE
EVERYONE = {A: ALL, M: ALL, E: ALL, P: ALL}
ADMIN_ONLY = {A: ALL}

ACTIONS = ("view", "add", "change", "delete", "decide")

RULES: dict[str, dict[str, dict[Role, str]]] = {
    # Aggregate figures: populations, targets, realisations, reception tasks and locations, agreements.
    # A province's user sees those of its own province ("own": its regions and their municipalities).
    "figures": {
        "view": {**EVERYONE, V: OWN},
        "add": {A: ALL, M: OWN},
        "change": {A: ALL, M: OWN},
        "delete": {A: ALL, M: OWN},
    },
    # Person-level, special-category data (AVG art. 9): status holders, AMV, third-country nationals.
    "persons": {
        "view": {A: ALL, M: OWN},
        "add": {A: ALL, M: OWN},
        "change": {A: ALL, M: OWN},
        "delete": {A: ALL, M: OWN},
    },
    # The table's own meetings, agenda, documents and decisions; a partner those of the bodies it sits in.
    "table": {
        "view": {A: ALL, M: ALL, E: ALL, P: OWN},
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
        "decide": {A: ALL, E: ALL},
    },
    # Actions and referrals: whoever they are assigned or referred to can see and answer them.
    "work": {
        "view": {A: ALL, M: ALL, E: ALL, P: OWN},
        "add": ADMIN_ONLY,
        "change": {A: ALL, M: OWN, P: OWN},
        "delete": ADMIN_ONLY,
    },
    # Signals raised at the table: every role with a seat reads them, a partner those it raised; a municipality or
    # partner raises its own; the programme team takes them up (agenda, closing).
    "signals": {
        "view": {A: ALL, M: ALL, E: ALL, P: OWN},
        "add": {A: ALL, M: OWN, P: OWN},
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    # The province's supervision of the housing task: its ladder and the step each municipality is on. Public in
    # substance (provinces publish their assessments); the programme team records what the province decided.
    "supervision": {
        "view": {**EVERYONE, V: OWN},
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    # The list of conditions for an agreement with the state.
    "conditions": {
        "view": {A: ALL, M: ALL, E: ALL},
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    # The distribution planner: keys and scenarios the table prepares; adopting one is a decision.
    "distribution": {
        "view": {A: ALL, M: ALL, E: ALL},
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
        "decide": {A: ALL, E: ALL},
    },
    # The partner register: organisations and their (work) contacts.
    "register": {
        "view": EVERYONE,
        "add": ADMIN_ONLY,
        "change": {A: ALL, M: OWN, P: OWN},
        "delete": ADMIN_ONLY,
    },
    # Practices municipalities and partners share.
    "practices": {
        "view": EVERYONE,
        "add": {A: ALL, M: OWN, P: OWN},
        "change": {A: ALL, M: OWN, P: OWN},
        "delete": {A: ALL, M: OWN, P: OWN},
    },
    # Uploaded import files: their rows can hold anything a municipality sends.
    "imports": {
        "view": {A: ALL, M: OWN},
        "add": {A: ALL, M: OWN},
        "change": {A: ALL, M: OWN},
        "delete": ADMIN_ONLY,
    },
    # Report jobs (the monitor report, council letters): a requester's organisation sees its own.
    "reports": {
        "view": {A: ALL, M: OWN, E: OWN, P: OWN, V: OWN},
        "add": {A: ALL, M: OWN, E: OWN, P: OWN, V: OWN},
    },
    # Reference data: areas, themes.
    "reference": {
        "view": {**EVERYONE, V: ALL},
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
    # Users, roles, the audit log and period locks.
    "administration": {
        "view": ADMIN_ONLY,
        "add": ADMIN_ONLY,
        "change": ADMIN_ONLY,
        "delete": ADMIN_ONLY,
    },
}


def scope_of(role: Role | str, resource: str, action: str) -> str | None:
    """ALL, OWN or None (not allowed) for a role doing an action on a resource."""
    if resource not in RULES:
        raise KeyError(f"Unknown resource {resource!r}")
    if action not in ACTIONS:
        raise KeyError(f"Unknown action {action!r}")
    return RULES[resource].get(action, {}).get(Role(role))
