// Every node a trace can pass through (the whole-graph snapshot behind screen and impact), streamed, with what
// decides whether it is a source: a worker's nationality, an agency's country and flag, a factory's country.
// One list per node (positions read in taint-graph.loader.ts, loadWholeGraph): no map keys sent per record.
MATCH (n:Entity)
WHERE NOT n:Evidence AND NOT n:Shipment AND (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: n._staged}) })
RETURN [n.id, n.name, n.nationality, n.country, n.dprk_linked, labels(n)] AS row
