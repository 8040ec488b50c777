// Drops pending candidates the latest list version no longer supports (never decided, so nothing is lost).
MATCH (m:ListMatch)
WHERE m.id IN $ids AND m.status = 'PENDING'
DELETE m
