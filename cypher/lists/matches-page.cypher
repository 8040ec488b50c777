// One page of match candidates in id order, of one status or any, and how many there are in all.
MATCH (m:ListMatch)
WHERE $status IS NULL OR m.status = $status
WITH m ORDER BY m.id
WITH collect(m {.*}) AS matches
RETURN size(matches) AS total, [x IN matches WHERE $after IS NULL OR x.id > $after][0..$limit] AS page
