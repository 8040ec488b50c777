// Every node a trace can pass through (the whole-graph snapshot behind screen and impact), streamed.
MATCH (n:Entity)
WHERE NOT n:Evidence
RETURN n {.id, .name, .nationality, .country, .dprk_linked} AS node, labels(n) AS labels
