// A staged import's marker (README, "Staged import"): readers hide rows whose `_staged` names a marker that exists.
CREATE CONSTRAINT staged_import_id IF NOT EXISTS FOR (s:StagedImport) REQUIRE s.id IS UNIQUE
