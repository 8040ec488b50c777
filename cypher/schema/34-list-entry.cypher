// The entries of one list version, read whole when matching.
CREATE INDEX list_entry_version IF NOT EXISTS FOR (e:ListEntry) ON (e.list, e.version)
