// Change sets by number.
UNWIND $seqs AS seq
MATCH (s:ChangeSet {seq: toInteger(seq)})
RETURN s {.seq, .id, .atMs, .actor, .reason, .source, .changeCount} AS set
