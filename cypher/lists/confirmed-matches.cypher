// The confirmed matches of some entities (null: all): listings, and DPRK-linked agencies.
MATCH (m:ListMatch {status: 'CONFIRMED'})
WHERE $ids IS NULL OR m.entityId IN $ids
RETURN m {.*} AS match
ORDER BY m.entityId, m.list, m.entryId
