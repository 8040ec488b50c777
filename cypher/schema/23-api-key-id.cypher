// API keys (labortrace keys create) are looked up by their id, the part of the key before the secret, on every
// request; the constraint is also the index. :ApiKey nodes are not :Entity, so exports and traces never see them.
CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (k:ApiKey) REQUIRE k.id IS UNIQUE
