// The confirmed matches of an entity: its listings, and whether an agency is DPRK-linked by a list.
CREATE INDEX list_match_entity IF NOT EXISTS FOR (m:ListMatch) ON (m.entityId)
