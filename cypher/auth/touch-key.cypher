// Records when a key was last used, at most once a minute ($before: a minute before $now).
MATCH (k:ApiKey {id: $id})
WHERE k.lastUsed IS NULL OR k.lastUsed < $before
SET k.lastUsed = $now
