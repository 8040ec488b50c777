// The confirmed list matches under a DPRK program: the agencies they name are sources (LISTS.md).
MATCH (m:ListMatch {status: 'CONFIRMED', dprk: true})
RETURN m.id AS id, m.entityId AS entityId
