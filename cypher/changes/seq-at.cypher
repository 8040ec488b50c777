// knownAt: the number of the last change set recorded at or before the instant (0: before anything was recorded).
OPTIONAL MATCH (s:ChangeSet) WHERE s.atMs <= toInteger($atMs)
RETURN coalesce(max(s.seq), 0) AS seq
