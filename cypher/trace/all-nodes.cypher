// Every node a trace can pass through (the whole-graph snapshot behind screen and impact), streamed, with what
// decides whether it is a source: a worker's nationality, an agency's country and flag, a factory's country.
MATCH (n:Entity)
WHERE NOT n:Evidence AND NOT n:Shipment
RETURN n {.id, .name, .nationality, .country, .dprk_linked} AS node, labels(n) AS labels
