// A match candidate (LISTS.md): one per list, entry and graph entity.
CREATE CONSTRAINT list_match_id IF NOT EXISTS FOR (m:ListMatch) REQUIRE m.id IS UNIQUE
