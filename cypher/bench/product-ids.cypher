// Product ids, for sampling.
MATCH (p:Product)
RETURN p.id AS id
ORDER BY id
