// How many changes lie between two graph versions (is catching up cheaper than reloading?).
MATCH (c:Change)
WHERE c.seq > toInteger($fromSeq) AND c.seq <= toInteger($toSeq)
RETURN count(c) AS changes
