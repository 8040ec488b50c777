import { Model, defaultModel, type Schema } from '@alephdata/followthemoney';

/**
 * The FollowTheMoney data model (the schemata Aleph and OpenSanctions use), as published by
 * @alephdata/followthemoney: labortrace never restates it, it asks this model which schemata and properties exist.
 */
export const FTM_MODEL = new Model(defaultModel);

/** One entity in FtM's JSON form, one per line in an `.ftm.json` file: every property value is a list of strings. */
export interface FtmEntity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
}

/**
 * What FtM accepts as an entity id (followthemoney's EntityType.ID_RE; 200 characters at most): letters, digits,
 * dots and dashes, beginning and ending with a letter or digit.
 */
export const FTM_ID_PATTERN = /^[0-9a-zA-Z]([0-9a-zA-Z.-]*[0-9a-zA-Z])?$/;
export const FTM_ID_MAX_LENGTH = 200;

/** The schema of that name, or undefined (Model.getSchema throws on an unknown name). */
export function ftmSchema(name: string): Schema | undefined {
  return Object.prototype.hasOwnProperty.call(FTM_MODEL.schemata, name) ? FTM_MODEL.schemata[name] : undefined;
}

/** The properties a schema requires, its ancestors' included (the model lists each schema's own). */
export function requiredProperties(schema: Schema): string[] {
  return [...new Set([schema, ...schema.getParents()].flatMap((s) => s.required))];
}
