import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Every statement that reads entities for users hides a staged import's rows until it is published (README,
 * "Staged import"): a statement added to these folders without the check would show a half-written import.
 * The integration test (staged-import.integration.test.ts) checks the behaviour for the statements it reaches;
 * this checks that none is left out.
 */
const ROOT = path.join(__dirname, '..', '..', 'cypher');
const READERS = ['trace', 'entity', 'export'];
const ALSO = ['admin/count-entities', 'changes/relationship-states'];
const CHECK = /(\w+)\._staged IS NULL OR NOT EXISTS \{ MATCH \(:StagedImport \{id: \1\._staged\}\) \}/;

const statements = [
  ...READERS.flatMap((dir) => readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.cypher')).map((f) => `${dir}/${f.replace(/\.cypher$/, '')}`)),
  ...ALSO,
];
const text = (name: string) => readFileSync(path.join(ROOT, `${name}.cypher`), 'utf8').split('\n').filter((l) => !l.trimStart().startsWith('//')).join('\n');

describe('statements that read entities hide staged rows', () => {
  it.each(statements)('%s', (name) => {
    const cypher = text(name);
    expect(cypher).toMatch(CHECK);
    // a variable-length pattern checks every hop it walks, through the bound relationship list
    for (const m of cypher.matchAll(/-\[(\w*):[A-Z_|]+\*\d*\.\.\d*\]-/g)) {
      expect(m[1]).not.toBe('');
      expect(cypher).toContain(`all(r IN ${m[1]} WHERE (r._staged IS NULL`);
    }
    // each UNION branch checks on its own, unless the branches are a CALL { } whose rows are checked together after it
    if (cypher.includes('CALL {')) return;
    const branches = cypher.split(/\bUNION( ALL)?\b/).filter((b) => b !== undefined && b.trim() !== '' && b.trim() !== 'ALL');
    for (const b of branches) expect(b).toMatch(CHECK);
  });

  it('the guard sees a statement without the check', () => {
    expect('MATCH (n:Item) RETURN n').not.toMatch(CHECK);
    expect('WHERE (n._staged IS NULL OR NOT EXISTS { MATCH (:StagedImport {id: m._staged}) })').not.toMatch(CHECK);
  });
});
