// A list version (LISTS.md): one per list and label; importing it again finds it here and changes nothing.
CREATE CONSTRAINT list_version_key IF NOT EXISTS FOR (v:ListVersion) REQUIRE (v.list, v.label) IS UNIQUE
