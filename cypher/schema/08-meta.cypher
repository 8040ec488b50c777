// One node holds the graph version, bumped by every import so that caches can tell the graph changed.
CREATE CONSTRAINT labortrace_meta_key IF NOT EXISTS FOR (m:LabortraceMeta) REQUIRE m.key IS UNIQUE
