// `import --replace`: the graph is emptied inside the import's own transaction, so readers see the old graph or the
// new one, never neither.
MATCH (n:Entity)
DETACH DELETE n
