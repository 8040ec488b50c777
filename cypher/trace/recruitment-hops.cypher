// Workers recruited by a batch of agencies.
UNWIND $ids AS id
MATCH (:LaborAgency {id: id})<-[r:RECRUITED_BY]-(w:Worker)
RETURN type(r) AS type, r.key AS key, w.id AS source, id AS target,
       null AS from, null AS to, r.evidence AS evidence, r.rebuttals AS rebuttals,
       w {.id, .name, .nationality, .country, .dprk_linked} AS far, labels(w) AS farLabels
