// items(filter: {nameContains}) and the like scan names; a text index serves CONTAINS.
CREATE TEXT INDEX entity_name IF NOT EXISTS FOR (n:Entity) ON (n.name)
