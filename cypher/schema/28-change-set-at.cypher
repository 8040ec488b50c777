// knownAt: the last change set recorded at or before an instant.
CREATE INDEX change_set_at IF NOT EXISTS FOR (s:ChangeSet) ON (s.atMs)
