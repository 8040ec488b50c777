// Shipments whose entry date lies in a window (either bound may be null), with what tracing them needs, in
// entry-date order. A shipment without an entry date lies in no window.
MATCH (s:Shipment)-[r:SHIPMENT_OF]->(i:Item)
WHERE s.entry_date IS NOT NULL AND (r._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: r._staged}) })
  AND ($from IS NULL OR s.entry_date >= date($from))
  AND ($to IS NULL OR s.entry_date <= date($to))
RETURN s.id AS id, i.id AS itemId, toString(s.entry_date) AS entryDate, toString(s.produced_to) AS producedTo
ORDER BY s.entry_date, s.id
