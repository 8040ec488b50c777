import neo4j, { isRetryableError, type Driver, type ManagedTransaction, type QueryResult, type RecordShape } from 'neo4j-driver';
import { loadConfig, type Config } from '../config';
import { cypher } from './cypher';
import { boltUri, ensureRunning } from './embedded-neo4j';

export type Params = Record<string, unknown>;

const SCHEMA_ATTEMPTS = 8;

/** A transaction that runs named statements from cypher/ and counts them. */
export class Tx {
  constructor(private readonly tx: ManagedTransaction, private readonly client: Neo4jClient) {}

  run<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): Promise<QueryResult<R>> {
    this.client.roundTrips++;
    return this.tx.run<R>(cypher(statement), params);
  }

  /** Streams the records of a large result instead of buffering it. */
  async *stream<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): AsyncGenerator<R> {
    this.client.roundTrips++;
    for await (const record of this.tx.run<R>(cypher(statement), params)) yield record.toObject() as R;
  }
}

/**
 * The one way labortrace talks to Neo4j: reads in read transactions (so a cluster can route them to secondaries),
 * writes in write transactions, both managed and retried by the driver on transient errors.
 */
export class Neo4jClient {
  /** Statements run so far; tests use it to prove batching. */
  roundTrips = 0;

  constructor(readonly driver: Driver, readonly database?: string) {}

  async readTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) => work(new Tx(tx, this)));
    } finally {
      await session.close();
    }
  }

  async writeTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite((tx) => work(new Tx(tx, this)));
    } finally {
      await session.close();
    }
  }

  /** One read statement in an auto-commit transaction that the server aborts after `timeoutMs`, never retried. */
  async readOnce<R extends RecordShape = RecordShape>(statement: string, params: Params, timeoutMs: number): Promise<R[]> {
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      this.roundTrips++;
      const result = await session.run<R>(cypher(statement), params, { timeout: timeoutMs });
      return result.records.map((r) => r.toObject() as R);
    } finally {
      await session.close();
    }
  }

  /** One read statement, records as plain objects. */
  async read<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): Promise<R[]> {
    return this.readTx(async (tx) => (await tx.run<R>(statement, params)).records.map((r) => r.toObject() as R));
  }

  /**
   * Schema statements (constraints, indexes) run in auto-commit transactions, as Neo4j requires; the driver does
   * not retry those, so transient failures (two processes creating the same constraint deadlock) are retried here.
   */
  async schema(statement: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const session = this.driver.session({ database: this.database });
      try {
        this.roundTrips++;
        await session.run(cypher(statement));
        return;
      } catch (e) {
        // IF NOT EXISTS still races when two processes create the same rule at once; the loser is told it exists.
        if (/Schema\.(EquivalentSchemaRuleAlreadyExists|ConstraintAlreadyExists|IndexAlreadyExists)$/.test((e as { code?: string }).code ?? '')) return;
        if (attempt >= SCHEMA_ATTEMPTS || !isRetryableError(e)) throw e;
        await new Promise((r) => setTimeout(r, 100 * attempt + Math.random() * 100));
      } finally {
        await session.close();
      }
    }
  }

  close(): Promise<void> {
    return this.driver.close();
  }
}

/** Connects to NEO4J_URI when set, otherwise to the embedded Neo4j under LABORTRACE_HOME (started on demand). */
export async function connect(cfg: Config = loadConfig()): Promise<Neo4jClient> {
  const config = { disableLosslessIntegers: true, logging: { level: 'error' as const, logger: (_: string, m: string) => process.stderr.write(`neo4j-driver: ${m}\n`) } };
  let driver: Driver;
  if (cfg.neo4jUri) {
    driver = neo4j.driver(cfg.neo4jUri, neo4j.auth.basic(cfg.neo4jUser, cfg.neo4jPassword), config);
  } else {
    driver = neo4j.driver(boltUri(await ensureRunning(cfg)), undefined, config);
  }
  await driver.verifyConnectivity();
  return new Neo4jClient(driver, cfg.neo4jDatabase);
}
