// The marker of a staged import: until it is deleted (by the publishing change set), every reader hides the rows
// whose `_staged` names it. `version`: the graph version the import was checked against; its change set is the next.
CREATE (:StagedImport {id: $id, version: toInteger($version), startedAtMs: timestamp(), heartbeatMs: timestamp(),
                       actor: $actor, reason: $reason})
