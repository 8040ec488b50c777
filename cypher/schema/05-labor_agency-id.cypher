// Lookups by kind and id (item(id), factory(id), ...) use this index instead of the Entity one plus a label filter.
CREATE CONSTRAINT labor_agency_id IF NOT EXISTS FOR (n:LaborAgency) REQUIRE n.id IS UNIQUE
