import type { Neo4jClient } from '../../src/db/neo4j-client';
import { EntityService } from '../../src/entity/entity.service';
import { startServer, type RunningServer } from '../../src/graphql/server';
import { TraceService } from '../../src/trace/trace.service';
import { datasetDir, importDir, resetGraph, testClient } from '../helpers/neo4j';

/**
 * The cases investigators brought (issue: model fidelity), each rebuilt as a small fictional dataset and traced
 * through the whole stack: CSV files -> validation -> Neo4j -> loaders -> engine -> GraphQL over HTTP. The expected
 * answers are the ones an investigator reads off the rows by hand.
 */
let client: Neo4jClient;
let server: RunningServer;

async function gql(query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: any; errors?: any[] };
  expect(body.errors).toBeUndefined();
  return body.data;
}

const csv = (...lines: string[]) => `${lines.join('\n')}\n`;

const DATASET = {
  'evidence.csv': csv(
    'id,title,kind,published',
    'EV-SAT,Satellite images of the sewing complex,report,2023-09',
    'EV-YARD,Testimony of yard welders,testimony,2023',
    'EV-SEEN,Report: cohort seen at the processing plant,media,2024-01-10',
  ),
  'products.csv': csv(
    'id,name',
    'P-PARKA,Quilted parka', 'P-HULL,Hull section', 'P-FISH-1,Frozen fillet 1', 'P-FISH-2,Frozen fillet 2',
    'P-FISH-3,Frozen fillet 3', 'P-FISH-4,Frozen fillet 4', 'P-FISH-5,Frozen fillet 5', 'P-SQUID,Dried squid',
    'P-SHRIMP,Frozen shrimp', 'P-CRAB,Crab meat', 'P-CLAM,Clam meat', 'P-SWEATER,Knit sweater', 'P-OWN,Own-brand mittens',
  ),
  'components.csv': csv('id,name', 'C-BODY,Knit body', 'C-SLEEVE,Knit sleeve'),
  'companies.csv': csv(
    'id,name,country',
    'CO-IMPORTER,Fictional Importer Inc,US', 'CO-SUPPLIER,Fictional Seafood Trading,CN', 'CO-OWNER,Fictional Mittens Group,CN',
  ),
  'factories.csv': csv(
    'id,name,country,operator_id,evidence',
    'F-KP-SEW,Fictional Sewing Complex,KP,,EV-SAT',
    'F-YARD,Fictional Shipyard,PL,,',
    'F-PLANT-1,Fictional Plant 1,CN,,', 'F-PLANT-2,Fictional Plant 2,CN,,', 'F-PLANT-3,Fictional Plant 3,CN,,',
    'F-PLANT-4,Fictional Plant 4,CN,,', 'F-PLANT-5,Fictional Plant 5,CN,,',
    'F-SUPPLIER,Fictional Seafood Plant,CN,CO-SUPPLIER,',
    'F-PROC,Fictional Processing Plant,CN,,',
    'F-KNIT,Fictional Knitting Mill,CN,,',
    'F-OWN,Fictional Mittens Plant,CN,CO-OWNER,',
  ),
  'agencies.csv': csv(
    'id,name,country,dprk_linked',
    'A-STATE,Fictional State Overseas Corporation,KP,',
    'A-LOCAL,Fictional Local Staffing,PL,false',
    'A-BROKER,Fictional Labor Broker,CN,false',
    'A-K1,Fictional Agency K1,CN,', 'A-K2,Fictional Agency K2,CN,', 'A-K3,Fictional Agency K3,CN,', 'A-K4,Fictional Agency K4,CN,',
  ),
  'workers.csv': csv(
    'id,nationality,name,headcount',
    'W-COHORT,KP,Cohort placed by the broker,120',
    'W-SUPPLIER,KP,Cohort at the seafood plant,',
    'W-SEEN,KP,Cohort seen in December 2023,',
    'W-KNIT,KP,Knitting cohort,40',
    'W-OWN,KP,Mittens cohort,15',
  ),
  'dispatch.csv': csv('agency_id,to_agency_id,from,to,evidence', 'A-STATE,A-LOCAL,2022-01-01,,EV-YARD'),
  'labor_supply.csv': csv(
    'agency_id,factory_id,from,to',
    'A-LOCAL,F-YARD,2022-03-01,2023-12-31',
    'A-BROKER,F-PLANT-1,,', 'A-BROKER,F-PLANT-2,,', 'A-BROKER,F-PLANT-3,,', 'A-BROKER,F-PLANT-4,,', 'A-BROKER,F-PLANT-5,,',
    'A-K1,F-KNIT,,', 'A-K2,F-KNIT,,', 'A-K3,F-KNIT,,', 'A-K4,F-KNIT,,',
  ),
  'recruitment.csv': csv(
    'worker_id,agency_id,factory_id,from,to',
    'W-COHORT,A-BROKER,F-PLANT-3,2021-01-01,2022-12-31',
    'W-KNIT,A-K1,,,', 'W-KNIT,A-K2,,,', 'W-KNIT,A-K3,,,', 'W-KNIT,A-K4,,,',
  ),
  'employment.csv': csv(
    'id,worker_id,factory_id,from,to,evidence,x_contract',
    'emp-supplier,W-SUPPLIER,F-SUPPLIER,2020-01-01,2023-12-31,,',
    'emp-seen,W-SEEN,F-PROC,2023-12,2023-12,EV-SEEN,',
    'emp-knit,W-KNIT,F-KNIT,,,,C-2021-17',
    'emp-own,W-OWN,F-OWN,2019-01-01,,,',
  ),
  'production.csv': csv(
    'item_id,factory_id,from,to',
    'P-PARKA,F-KP-SEW,2023-01-01,2023-06-30',
    'P-HULL,F-YARD,2022-01-01,',
    'P-FISH-1,F-PLANT-1,,', 'P-FISH-2,F-PLANT-2,,', 'P-FISH-3,F-PLANT-3,,', 'P-FISH-4,F-PLANT-4,,', 'P-FISH-5,F-PLANT-5,,',
    'P-CRAB,F-PROC,2023-12-31,2024-03-01',
    'P-CLAM,F-PROC,2024-01-01,',
    'C-BODY,F-KNIT,,', 'C-SLEEVE,F-KNIT,,',
    'P-OWN,F-OWN,2020-01-01,',
  ),
  'bom.csv': csv('parent_id,child_id,quantity', 'P-SWEATER,C-BODY,1', 'P-SWEATER,C-SLEEVE,2'),
  'supply.csv': csv('supplier_id,customer_id,from,to', 'CO-SUPPLIER,CO-IMPORTER,2019-05-01,2024-01-25'),
  'sourcing.csv': csv('item_id,company_id,from,to', 'P-SQUID,CO-IMPORTER,2023-06-01,', 'P-SHRIMP,CO-IMPORTER,2024-02-01,'),
  'shipments.csv': csv(
    'id,item_id,importer_id,entry_number,entry_date,produced_from,produced_to,quantity,declared_origin',
    'SH-PARKA,P-PARKA,CO-IMPORTER,ENT-0001,2023-08-15,2023-03,2023-07,500,CN',
    'SH-CLAM,P-CLAM,CO-IMPORTER,ENT-0002,2024-05-02,2024-02-01,2024-03-31,900,CN',
    'SH-HULL-OLD,P-HULL,CO-IMPORTER,ENT-0003,2022-02-10,,2021-12-31,1,PL',
    'SH-HULL,P-HULL,CO-IMPORTER,ENT-0004,2023-10-01,,,2,PL',
  ),
};

beforeAll(async () => {
  client = await testClient();
  server = await startServer({ client, entities: new EntityService(client), trace: new TraceService(client) }, 0, '127.0.0.1');
  await resetGraph(client);
  await importDir(client, datasetDir(DATASET));
});
afterAll(async () => {
  await server.stop();
  await client.close();
});

const TRACE = `query($id: ID!, $asOf: Date) { trace(itemId: $id, asOf: $asOf) { exposure pathCount possiblePathCount openPathCount sourceCount siteCount
  paths(first: 20) { edges { node { nodes { id kind source traced country } relationships { id type source target from to placement extra { key value } } } } } } }`;
const trace = async (id: string, asOf?: string) => (await gql(TRACE, { id, asOf })).trace;
const pathIds = (t: any) => t.paths.edges.map((e: any) => e.node.nodes.map((n: any) => n.id).join('>'));

it('a parka sewn in a factory inside the DPRK is DIRECT, the factory being the source and the site', async () => {
  const t = await trace('P-PARKA');
  expect(t).toMatchObject({ exposure: 'DIRECT', pathCount: '1', sourceCount: 1, siteCount: 1 });
  expect(t.paths.edges[0].node.nodes).toEqual([
    { id: 'F-KP-SEW', kind: 'Factory', source: true, traced: false, country: 'KP' },
    { id: 'P-PARKA', kind: 'Product', source: false, traced: true, country: null },
  ]);
  const screened = (await gql('{ screen { edges { node { item { id } exposure } } } }')).screen.edges.map((e: any) => e.node.item.id);
  expect(screened).toContain('P-PARKA');
});

it('a DPRK state corporation dispatching through a local intermediary is on the path to the yard\'s hull', async () => {
  const t = await trace('P-HULL');
  expect(t).toMatchObject({ exposure: 'DIRECT', pathCount: '1', sourceCount: 1, siteCount: 1 });
  expect(pathIds(t)).toEqual(['A-STATE>A-LOCAL>F-YARD>P-HULL']);
  expect(t.paths.edges[0].node.relationships.map((r: any) => r.type)).toEqual(['DISPATCHES_TO', 'SUPPLIES_LABOR_TO', 'PRODUCED']);
  // dispatch from 2022-01-01, supply until 2023-12-31: goods made up to 2021 are clean
  expect((await trace('P-HULL', '2021-12-31')).exposure).toBe('NONE');
  const agencies = await gql(`{ state: agency(id: "A-STATE") { dispatchesTo { from toAgency { id } evidence { id } } }
    local: agency(id: "A-LOCAL") { dispatchedFrom { agency { id } } } }`);
  expect(agencies).toEqual({
    state: { dispatchesTo: [{ from: '2022-01-01', toAgency: { id: 'A-LOCAL' }, evidence: [{ id: 'EV-YARD' }] }] },
    local: { dispatchedFrom: [{ agency: { id: 'A-STATE' } }] },
  });
});

it('a cohort placed at one of a broker\'s five plants reaches only that plant\'s products', async () => {
  const screened = (await gql('{ screen { edges { node { item { id } exposure } } } }')).screen.edges.map((e: any) => e.node.item.id);
  expect(screened.filter((id: string) => id.startsWith('P-FISH'))).toEqual(['P-FISH-3']);
  const t = await trace('P-FISH-3');
  expect(pathIds(t)).toEqual(['W-COHORT>A-BROKER>F-PLANT-3>P-FISH-3']);
  expect(t.paths.edges[0].node.relationships[0]).toMatchObject({ type: 'RECRUITED_BY', placement: 'F-PLANT-3', from: '2021-01-01', to: '2022-12-31' });
  for (const other of ['P-FISH-1', 'P-FISH-2', 'P-FISH-4', 'P-FISH-5']) expect((await trace(other)).exposure).toBe('NONE');
});

it('a supplier link that ended on 2024-01-25 no longer makes goods sourced after it POSSIBLE', async () => {
  const squid = await trace('P-SQUID');
  expect(squid).toMatchObject({ exposure: 'POSSIBLE', pathCount: '0', possiblePathCount: '1' });
  expect((await gql('{ trace(itemId: "P-SQUID") { paths(possible: true) { edges { node { nodes { id } } } } } }'))
    .trace.paths.edges[0].node.nodes.map((n: any) => n.id)).toEqual(['W-SUPPLIER', 'F-SUPPLIER', 'CO-SUPPLIER', 'CO-IMPORTER', 'P-SQUID']);
  expect(await trace('P-SHRIMP')).toMatchObject({ exposure: 'NONE', possiblePathCount: '0' });
  const map = await gql('{ supplyChain(companyId: "CO-IMPORTER", direction: UPSTREAM) { relationships { id source target to } } }');
  expect(map.supplyChain.relationships).toEqual([{ id: expect.stringMatching(/^r-[0-9a-f]+$/), source: 'CO-SUPPLIER', target: 'CO-IMPORTER', to: '2024-01-25' }]);
});

it('"seen in December 2023" covers exactly that month; an unknown headcount stays unknown', async () => {
  expect((await trace('P-CRAB')).exposure).toBe('DIRECT'); // production from 2023-12-31 meets the month's last day
  expect((await trace('P-CLAM')).exposure).toBe('NONE'); // production from 2024-01-01 does not
  const rel = (await trace('P-CRAB')).paths.edges[0].node.relationships[0];
  expect(rel).toMatchObject({ id: 'emp-seen', from: '2023-12-01', to: '2023-12-31' });
  const workers = await gql('{ seen: worker(id: "W-SEEN") { headcount } knit: worker(id: "W-KNIT") { headcount } }');
  expect(workers).toEqual({ seen: { headcount: null }, knit: { headcount: 40 } });
});

it('counts routes as paths, and labor facts as sources and sites', async () => {
  // one cohort, employed directly and placed through four agencies (5 labor segments), at one mill making two
  // parts of the sweater (2 routes): 10 paths, 1 source, 1 site
  const t = await trace('P-SWEATER');
  expect(t).toMatchObject({ exposure: 'DIRECT', pathCount: '10', sourceCount: 1, siteCount: 1 });
  const direct = t.paths.edges.map((e: any) => e.node.relationships.find((r: any) => r.type === 'EMPLOYED_AT')).filter(Boolean);
  expect(direct[0]).toMatchObject({ id: 'emp-knit', extra: [{ key: 'x_contract', value: 'C-2021-17' }] });
});

it('the impact of a company includes the products of the plants it operates', async () => {
  const data = await gql('{ impact(nodeId: "CO-OWNER") { node { id traced } products { item { id } pathCount openPathCount } subgraph { nodes { id } } } }');
  expect(data.impact.node).toEqual({ id: 'CO-OWNER', traced: true });
  expect(data.impact.products).toEqual([{ item: { id: 'P-OWN' }, pathCount: '1', openPathCount: '1' }]);
  expect(data.impact.subgraph.nodes.map((n: any) => n.id)).toEqual(['F-OWN', 'P-OWN', 'W-OWN']);
});

it('traces a shipment as its item made by the end of its production window, and screens entries by entry date', async () => {
  const data = await gql(`{ parka: shipment(id: "SH-PARKA") { id entryNumber entryDate producedFrom producedTo declaredOrigin
      item { id } importer { id } trace { exposure pathCount } }
    old: shipment(id: "SH-HULL-OLD") { trace { exposure } }
    now: shipment(id: "SH-HULL") { trace { exposure } }
    missing: shipment(id: "SH-NOPE") { id } }`);
  expect(data.parka).toEqual({
    id: 'SH-PARKA', entryNumber: 'ENT-0001', entryDate: '2023-08-15', producedFrom: '2023-03-01', producedTo: '2023-07-31',
    declaredOrigin: 'CN', item: { id: 'P-PARKA' }, importer: { id: 'CO-IMPORTER' }, trace: { exposure: 'DIRECT', pathCount: '1' },
  });
  expect(data.old.trace.exposure).toBe('NONE'); // produced by 2021-12-31, before the dispatch began
  expect(data.now.trace.exposure).toBe('DIRECT'); // no production window: asOf is the entry date
  expect(data.missing).toBeNull();
  const item = await gql('{ item(id: "P-HULL") { shipments { id } } }');
  expect(item.item.shipments).toEqual([{ id: 'SH-HULL' }, { id: 'SH-HULL-OLD' }]);
  const screened = await gql(`{ screenShipments(from: "2022-01-01", to: "2024-12-31") { totalCount
    edges { cursor node { shipment { id } exposure pathCount possiblePathCount } } pageInfo { hasNextPage endCursor } } }`);
  expect(screened.screenShipments.edges.map((e: any) => e.node)).toEqual([
    { shipment: { id: 'SH-PARKA' }, exposure: 'DIRECT', pathCount: '1', possiblePathCount: '0' },
    { shipment: { id: 'SH-HULL' }, exposure: 'DIRECT', pathCount: '1', possiblePathCount: '0' },
  ]);
  const firstPage = await gql('{ screenShipments(first: 1) { totalCount edges { node { shipment { id } } } pageInfo { hasNextPage endCursor } } }');
  expect(firstPage.screenShipments.totalCount).toBe(2);
  expect(firstPage.screenShipments.pageInfo.hasNextPage).toBe(true);
  const next = await gql('query($after: String) { screenShipments(first: 1, after: $after) { edges { node { shipment { id } } } pageInfo { hasNextPage } } }',
    { after: firstPage.screenShipments.pageInfo.endCursor });
  expect(next.screenShipments.edges.map((e: any) => e.node.shipment.id)).toEqual(['SH-HULL']);
  expect(next.screenShipments.pageInfo.hasNextPage).toBe(false);
});

it('relationship ids are safe in CSS selectors and keep their id when a row\'s interval is corrected', async () => {
  const sub = (await gql('{ screen { edges { node { item { id } } } } }')).screen.edges.map((e: any) => e.node.item.id);
  for (const id of sub) {
    const data = await gql('query($id: ID!) { trace(itemId: $id) { subgraph { relationships { id } } } }', { id });
    for (const r of data.trace.subgraph.relationships) expect(r.id).toMatch(/^[A-Za-z][A-Za-z0-9_-]*$/);
  }
  await importDir(client, datasetDir({
    'workers.csv': csv('id,nationality,name,headcount', 'W-SEEN,KP,Cohort seen in December 2023,'),
    'factories.csv': csv('id,name,country', 'F-PROC,Fictional Processing Plant,CN'),
    'employment.csv': csv('id,worker_id,factory_id,from,to', 'emp-seen,W-SEEN,F-PROC,2023-11-01,2024-01-15'),
  }));
  const t = await trace('P-CLAM');
  expect(t.exposure).toBe('DIRECT'); // the corrected interval now meets production from 2024-01-01
  expect(t.paths.edges[0].node.relationships[0]).toMatchObject({ id: 'emp-seen', from: '2023-11-01', to: '2024-01-15' });
  expect(t.paths.edges).toHaveLength(1); // corrected in place: no second employment row beside it
});
