import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { INPUT_LISTS, camel } from '../../changes/change-input';
import type { ColumnSpec, FileSpec } from '../../dataset/dataset.spec';

/**
 * The input types of applyChanges, made from the dataset format's own table (src/dataset/dataset.spec.ts) so that
 * they cannot drift from it: one row type per dataset file, its columns in camelCase (CHANGES.md). Every column is
 * nullable here: the dataset validator, the same one a CSV import runs, reports a missing required value with the
 * row's input path, so there is one set of rules and one error format.
 */

@InputType('ExtraPropertyInput', { description: 'A free-form x_* column' })
export class ExtraPropertyInput {
  @Field({ description: 'starts with x_' })
  key!: string;

  @Field()
  value!: string;
}

function graphqlType(c: ColumnSpec): () => unknown {
  switch (c.type) {
    case 'id': case 'ref': case 'relationshipId': return () => ID;
    case 'idList': return () => [ID];
    case 'boolean': return () => Boolean;
    case 'positiveInteger': return () => Int;
    case 'number': case 'latitude': case 'longitude': case 'probability': return () => Float;
    default: return () => String;
  }
}

const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function rowInput(list: string, spec: FileSpec): Function {
  const Row = { [`${pascal(list)}RowInput`]: class {} }[`${pascal(list)}RowInput`];
  for (const c of spec.columns) {
    const what = c.type === 'date' ? 'YYYY-MM-DD, YYYY-MM or YYYY' : c.type === 'idList' ? 'ids' : c.type;
    Field(graphqlType(c) as never, { nullable: true, description: `${spec.file} column ${c.name} (${what}${c.required ? ', required' : ''})` })(Row.prototype, camel(c.name));
  }
  Field(() => [ExtraPropertyInput], { nullable: true, description: 'x_* columns' })(Row.prototype, 'extra');
  Field(() => Int, {
    nullable: true,
    description: "the entity's version when it was read (its `version` field; 0: it must not exist yet): a newer one refuses the change set with CONFLICT",
  })(Row.prototype, 'expectedVersion');
  InputType(`${pascal(list)}RowInput`, { description: `A row of ${spec.file} (docs/data-format.md)` })(Row);
  return Row;
}

export const ROW_INPUTS: ReadonlyMap<string, Function> = new Map(INPUT_LISTS.map(({ name, spec }) => [name, rowInput(name, spec)]));

@InputType('ChangeSetInput', { description: 'One change set: rows upserted as in an import, and retirements; atomic (CHANGES.md)' })
export class ChangeSetInput {
  @Field({ description: 'why: recorded with the change set' })
  reason!: string;

  @Field(() => [ID], { nullable: true, description: 'node or relationship ids to retire (a node retires its relationships too)' })
  retire?: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'the rows become the whole graph; everything else is retired (admin)' })
  replace?: boolean | null;

  [list: string]: unknown;
}

for (const [list, Row] of ROW_INPUTS) {
  Field(() => [Row], { nullable: true })(ChangeSetInput.prototype, list);
}
