// Retirements so far: an id added again after being retired continues its version numbers from the log.
MATCH (m:LabortraceMeta {key: 'graph'})
SET m.retired = coalesce(m.retired, 0) + $count
