// The changes of one change set. Only the state after each change is stored (JSON text, null when retired): the
// state before is the previous change of the same entity, so the log holds each state once. `$staged`: the staged
// import that wrote them before its change set exists (README, "Staged import"), else null (no property).
UNWIND $rows AS c
CREATE (:Change {seq: toInteger($seq), idx: toInteger(c.idx), entityId: c.entityId, kind: c.kind, op: c.op, after: c.after, version: toInteger(c.version),
         _staged: $staged})
