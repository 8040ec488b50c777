import { FTM_ID_MAX_LENGTH, FTM_ID_PATTERN, ftmSchema, requiredProperties, type FtmEntity } from './ftm.model';

/**
 * Checks a set of FtM entities the way a loader (Aleph, `ftm validate`, OpenSanctions' tooling) reads them, with the
 * published model: every id is a valid FtM id and unique; every schema exists and is not abstract; every property
 * belongs to its schema and holds strings; every required property (the schema's and its ancestors') is filled;
 * every entity-typed value names an entity of the set whose schema is in the property's range.
 * Returns one message per problem (empty: valid).
 */
export function ftmProblems(entities: readonly FtmEntity[]): string[] {
  const problems: string[] = [];
  const schemaOf = new Map<string, string>();
  for (const e of entities) {
    if (typeof e.id !== 'string' || !FTM_ID_PATTERN.test(e.id) || e.id.length > FTM_ID_MAX_LENGTH) problems.push(`${String(e.id)}: not a valid FtM entity id`);
    if (schemaOf.has(e.id)) problems.push(`${e.id}: id used twice`);
    schemaOf.set(e.id, e.schema);
  }
  for (const e of entities) {
    const schema = ftmSchema(e.schema);
    if (!schema) {
      problems.push(`${e.id}: unknown schema '${e.schema}'`);
      continue;
    }
    if (schema.abstract) problems.push(`${e.id}: schema ${e.schema} is abstract`);
    for (const [name, values] of Object.entries(e.properties)) {
      if (!schema.hasProperty(name)) {
        problems.push(`${e.id}: ${e.schema} has no property '${name}'`);
        continue;
      }
      if (!Array.isArray(values) || values.length === 0 || values.some((v) => typeof v !== 'string' || v === '')) {
        problems.push(`${e.id}: ${name} must be a non-empty list of non-empty strings`);
        continue;
      }
      const property = schema.getProperty(name);
      if (!property.type.isEntity) continue;
      for (const ref of values) {
        const target = schemaOf.get(ref);
        const targetSchema = target === undefined ? undefined : ftmSchema(target);
        if (!targetSchema) problems.push(`${e.id}: ${name} names '${ref}', which is not an entity of the file`);
        else if (!targetSchema.isA(property.getRange())) problems.push(`${e.id}: ${name} names '${ref}', a ${target}, not a ${property.getRange().name}`);
      }
    }
    for (const name of requiredProperties(schema)) {
      if (!(e.properties[name]?.length > 0)) problems.push(`${e.id}: ${e.schema} requires '${name}'`);
    }
  }
  return problems;
}
