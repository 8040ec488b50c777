import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Neo4jClient } from '../../src/db/neo4j-client';
import { FILE_SPECS } from '../../src/dataset/dataset.spec';
import { ExportTargetError, exportDataset } from '../../src/export/export.service';
import { neutralizeFormula } from '../../src/dataset/values';
import { relationshipId, relationshipKey } from '../../src/model/graph-model';
import { datasetDir, dumpGraph, exportAndReimport, importDir, resetGraph, testClient } from '../helpers/neo4j';

let client: Neo4jClient;

beforeAll(async () => {
  client = await testClient();
});
afterAll(() => client.close());
beforeEach(() => resetGraph(client));

const derived = (...key: Parameters<typeof relationshipKey>) => relationshipId(relationshipKey(...key));

/**
 * Every file of the revised format, every new column (relationship ids, placement, partial dates, dispatch,
 * shipments, x_ columns on relationship files), written the way export writes it: the format's column order then
 * the x_ columns sorted, nodes in id order, relationships in key order. Export must give these bytes back.
 */
const DATASET: Record<string, string> = {
  'products.csv': 'id,name,sku,hs_code,brand,evidence\nP1,Parka,SKU-1,6201.40,Peak,E1\n',
  'components.csv': 'id,name,material,hs_code,evidence\nC1,Shell,nylon,,\n',
  'factories.csv': 'id,name,country,operator_id,address,lat,lon,os_id,evidence,x_audit\n'
    + 'F1,Cut and sew,CN,CO1,"Hunchun, Jilin",42.86,130.36,CN2021,,2023-Q4\nF9,Pyongyang mill,KP,,,,,,,\n',
  'companies.csv': 'id,name,country,evidence\nCO1,Peak Apparel,US,\nCO2,Yarn Trading,CN,\n',
  'agencies.csv': 'id,name,country,dprk_linked,sanctioned,evidence\nA1,State corporation,KP,true,true,\nA2,Local agency,RU,false,false,\n',
  'workers.csv': 'id,nationality,name,headcount,evidence\nW1,KP,Cohort 1,40,\nW2,KP,,,\n',
  'evidence.csv': 'id,title,kind,url,published,confidence,evidence\nE1,Report,media,https://example.org/r,2021-03,0.8,\nE2,Audit,audit,,2022,,\nE3,Contract,contract,,2022-05-17,,\n',
  'shipments.csv': 'id,item_id,importer_id,entry_number,entry_date,produced_from,produced_to,quantity,declared_origin,evidence,x_port\n'
    + 'S1,P1,CO1,LT9-117,2024-02,2023-10,2023,2400,CN,E1;E3,LAX\nS2,C1,,,,,,,,,\n',
  'bom.csv': 'id,parent_id,child_id,quantity,evidence\nbom-1,P1,C1,2,\n',
  'production.csv': `id,item_id,factory_id,from,to,evidence\n${derived('PRODUCED', 'F1', 'C1', '2019-01-01', '2024-12-31')},C1,F1,2019,2024,\n`,
  'subcontracts.csv': 'id,factory_id,subcontractor_id,from,to,evidence\nsub-1,F1,F9,2022-06,,E2\n',
  'employment.csv': 'id,worker_id,factory_id,from,to,evidence,rebuttal,x_shift\nemp-1,W2,F1,2020-01-01,2021-06,E1,E2,night\n',
  'recruitment.csv': 'id,worker_id,agency_id,factory_id,from,to,evidence,rebuttal\n'
    + 'rec-1,W1,A1,F1,2019,2023-12-31,E1,\nrec-2,W1,A1,,2019,2023-12-31,,\n',
  'dispatch.csv': 'id,agency_id,to_agency_id,from,to,evidence,rebuttal,x_route\ndisp-1,A1,A2,2021-03,2023,E1,E3,rail\n',
  'labor_supply.csv': 'id,agency_id,factory_id,from,to,evidence,rebuttal\nls-1,A2,F1,2020,,,\n',
  'supply.csv': 'id,supplier_id,customer_id,from,to,evidence\nsup-1,CO2,CO1,2020-06,2022,\n',
  'sourcing.csv': 'id,item_id,company_id,from,to,evidence\nsrc-1,C1,CO2,2021,,\n',
};

describe('export', () => {
  it('writes back every file of a dataset that uses every new column and file, byte for byte', async () => {
    await importDir(client, datasetDir(DATASET));
    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    await exportDataset(client, out);
    expect(readdirSync(out).sort()).toEqual(FILE_SPECS.map((s) => s.file).sort());
    for (const [file, text] of Object.entries(DATASET)) expect([file, readFileSync(path.join(out, file), 'utf8')]).toEqual([file, text]);
  });

  it('import(export(g)) into an empty database is g', async () => {
    await importDir(client, datasetDir(DATASET));
    const before = await dumpGraph(client);
    await exportAndReimport(client);
    expect(await dumpGraph(client)).toEqual(before);
  });

  it('an exported graph re-imported over itself changes nothing (its ids are the relationships)', async () => {
    await importDir(client, datasetDir(DATASET));
    const before = await dumpGraph(client);
    const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
    await exportDataset(client, out);
    await importDir(client, out);
    expect(await dumpGraph(client)).toEqual(before);
  });

  describe('spreadsheet formulas (docs/data-format.md, "Spreadsheet formulas")', () => {
    /** Names a spreadsheet would run as formulas, Hangul and Chinese among them, and some that only look neutralized. */
    const NAMES = [
      '=HYPERLINK("http://x","조선 피복")', '+82 평양', '-丹东服装厂', '@中国', '\t탭', '\r캐리지', "'=SUM(A1)", "''-x", "'plain'",
      '평양 피복 공장', '丹东市服装厂有限公司', '=1+2;"a,b"\nnext line',
    ];

    it('writes them neutralized, leaves numbers alone, and import gives every name back exactly', async () => {
      // the input file is written the way export writes (neutralized), so the stored names are exactly NAMES
      const rows = NAMES.map((n, i) => `F${i},"${neutralizeFormula(n).replace(/"/g, '""')}",KP,-12.5,-3`).join('\n');
      await importDir(client, datasetDir({
        'factories.csv': `id,name,country,lat,lon\n${rows}\n`,
        'companies.csv': "id,name,x_note\n'=CO1,-Co,'+note\n",
        'supply.csv': 'supplier_id,customer_id\n=CO1,=CO1\n',
      }));
      const before = await dumpGraph(client);
      for (const n of NAMES) expect(before.join('\n')).toContain(JSON.stringify(n).slice(1, -1));
      const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
      await exportDataset(client, out);
      const factories = readFileSync(path.join(out, 'factories.csv'), 'utf8');
      expect(factories).toContain(`F0,"'=HYPERLINK(""http://x"",""조선 피복"")",KP,,,-12.5,-3,,`);
      expect(factories).toContain("F2,'-丹东服装厂,KP,,,-12.5,-3,,");
      expect(factories).toContain("F6,''=SUM(A1),KP,");
      expect(factories).toContain("F8,'plain',KP,");
      const companies = readFileSync(path.join(out, 'companies.csv'), 'utf8');
      expect(companies).toBe("id,name,country,evidence,x_note\n'=CO1,'-Co,,,'+note\n");
      expect(readFileSync(path.join(out, 'supply.csv'), 'utf8')).toMatch(/^id,supplier_id,customer_id,from,to,evidence\nr-[0-9a-f]{20},'=CO1,'=CO1,,,\n$/);
      // no exported cell (outside the numeric columns) starts a formula
      for (const file of readdirSync(out)) {
        for (const line of readFileSync(path.join(out, file), 'utf8').split('\n').slice(1)) {
          expect([file, /(^|,)[=+@]/.test(line)]).toEqual([file, false]);
        }
      }
      await resetGraph(client);
      await importDir(client, out);
      expect(await dumpGraph(client)).toEqual(before);
    });
  });

  describe('the target directory', () => {
    it('refuses a directory that is not empty, writing nothing, unless forced', async () => {
      await importDir(client, datasetDir(DATASET));
      const out = mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-'));
      writeFileSync(path.join(out, 'notes.txt'), 'mine');
      await expect(exportDataset(client, out)).rejects.toThrow(ExportTargetError);
      await expect(exportDataset(client, out)).rejects.toThrow(/not empty \(1 entries\).*--force/);
      expect(readdirSync(out)).toEqual(['notes.txt']);
      writeFileSync(path.join(out, 'products.csv'), 'stale');
      writeFileSync(path.join(out, 'other.csv'), 'x');
      const summary = await exportDataset(client, out, { force: true });
      expect(summary.otherCsvFiles).toEqual(['other.csv']);
      expect(readFileSync(path.join(out, 'products.csv'), 'utf8')).toBe(DATASET['products.csv']);
      expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).toBe('mine');
    });

    it('refuses a path that is a file', async () => {
      const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'labortrace-export-')), 'file');
      writeFileSync(file, 'x');
      await expect(exportDataset(client, file)).rejects.toThrow(/exists and is not a directory/);
    });
  });
});

