// The nodes a bulk import carries over into the new store: API keys and the graph's meta node, each property with its
// Cypher type (valueType) and its value as text, so that the import writes it back with the same type.
MATCH (n)
  WHERE n:ApiKey OR n:LabortraceMeta
RETURN labels(n) AS labels,
       [k IN keys(n) | {key: k, type: valueType(n[k]),
                        text: CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN null ELSE toString(n[k]) END,
                        list: CASE WHEN valueType(n[k]) STARTS WITH 'LIST' THEN [x IN n[k] | toString(x)] ELSE null END}] AS props
