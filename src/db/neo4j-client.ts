import { AsyncLocalStorage } from 'node:async_hooks';
import neo4j, {
  isRetryableError, type Config as DriverConfig, type Driver, type ManagedTransaction, type QueryResult, type RecordShape,
  type Session, type SessionMode, type Transaction,
} from 'neo4j-driver';
import { loadConfig, type Config } from '../config';
import { cypher } from './cypher';
import { boltUri, embeddedAuth, ensureRunning } from './embedded-neo4j';

export type Params = Record<string, unknown>;

const SCHEMA_ATTEMPTS = 8;

/**
 * The deadline of the request being served (epoch ms), carried through its async calls. Inside one, every
 * transaction gets the remaining time as its Neo4j timeout, an unreachable Neo4j fails at once instead of being
 * retried for 30 s, and work that starts after the deadline is refused.
 */
const requestDeadline = new AsyncLocalStorage<number | undefined>();

export function withDeadline<T>(deadline: number, work: () => T): T {
  return requestDeadline.run(deadline, work);
}

/** Shared work a request merely starts (a snapshot load that later requests also use): no request deadline. */
export function withoutDeadline<T>(work: () => T): T {
  return requestDeadline.run(undefined, work);
}

/** Milliseconds left to the current request, undefined outside a request. */
export function remainingMs(): number | undefined {
  const deadline = requestDeadline.getStore();
  return deadline === undefined ? undefined : deadline - Date.now();
}

/** Neo4j cannot be reached (stopped, restarting, pool exhausted): the API answers SERVICE_UNAVAILABLE. */
export class Neo4jUnavailableError extends Error {
  constructor(readonly neo4jCode: string) {
    super('the database is unavailable; try again shortly');
    this.name = 'Neo4jUnavailableError';
  }
}

/** The request ran out of time (its deadline, also Neo4j's transaction timeout): the API answers TIMEOUT. */
export class DeadlineExceededError extends Error {
  constructor() {
    super('the request took longer than its time limit (LABORTRACE_REQUEST_TIMEOUT_MS) and was stopped');
    this.name = 'DeadlineExceededError';
  }
}

export type Neo4jFailure = 'unavailable' | 'timeout' | 'transient' | 'other';

/** How a driver error is answered; the codes are the driver's and Neo4j's own. */
export function classifyNeo4jError(e: unknown): Neo4jFailure {
  const code = String((e as { code?: unknown })?.code ?? '');
  const message = String((e as { message?: unknown })?.message ?? '');
  if (code === neo4j.error.SERVICE_UNAVAILABLE || code === neo4j.error.SESSION_EXPIRED || code === 'Neo.TransientError.General.DatabaseUnavailable') return 'unavailable';
  // The pool's own timeout carries no code, only this message (neo4j-driver-core, pool.js).
  if (message.startsWith('Connection acquisition timed out')) return 'unavailable';
  if (/^Neo\.ClientError\.Transaction\.TransactionTimedOut/.test(code)) return 'timeout';
  if (isRetryableError(e as Error)) return 'transient';
  return 'other';
}

/** Retries of a request's transaction after "unavailable" (a pooled connection that died with a restart). */
const UNAVAILABLE_RETRIES = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A transaction that runs named statements from cypher/ and counts them. */
export class Tx {
  constructor(private readonly tx: ManagedTransaction | Transaction, private readonly client: Neo4jClient) {}

  run<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): Promise<QueryResult<R>> {
    this.client.roundTrips++;
    return this.tx.run<R>(cypher(statement), params);
  }

  /**
   * Streams a large result of one column, its values as they come: for statements returning one list per record
   * (no map keys decoded per record, and no object made per record).
   */
  async *streamColumn<V>(statement: string, params: Params = {}): AsyncGenerator<V> {
    this.client.roundTrips++;
    for await (const record of this.tx.run(cypher(statement), params)) yield record.get(0) as V;
  }

  /** Streams the records of a large result instead of buffering it. */
  async *stream<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): AsyncGenerator<R> {
    this.client.roundTrips++;
    for await (const record of this.tx.run<R>(cypher(statement), params)) yield record.toObject() as R;
  }
}

/**
 * The one way labortrace talks to Neo4j: reads in read transactions (so a cluster can route them to secondaries),
 * writes in write transactions. Outside a request they are managed and retried by the driver on transient errors.
 * Inside a request (withDeadline) each transaction's timeout is the time left, transient errors are retried only
 * while time is left, and an unreachable Neo4j is a Neo4jUnavailableError within moments (README, "Limits and
 * operations").
 */
export class Neo4jClient {
  /** Statements run so far; tests use it to prove batching. */
  roundTrips = 0;
  /** Write transactions begun so far by this process: a read made before the last one began may predate its change. */
  writesBegun = 0;
  /** Told of every failed transaction inside a request (metrics count them). */
  readonly failureListeners = new Set<(kind: Neo4jFailure, code: string) => void>();

  constructor(readonly driver: Driver, readonly database?: string) {}

  async readTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const deadline = requestDeadline.getStore();
    if (deadline !== undefined) return this.requestTx(neo4j.session.READ, deadline, work);
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      return await session.executeRead((tx) => work(new Tx(tx, this)));
    } finally {
      await session.close();
    }
  }

  async writeTx<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    this.writesBegun++;
    const deadline = requestDeadline.getStore();
    if (deadline !== undefined) return this.requestTx(neo4j.session.WRITE, deadline, work);
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.WRITE });
    try {
      return await session.executeWrite((tx) => work(new Tx(tx, this)));
    } finally {
      await session.close();
    }
  }

  /**
   * A transaction of a request: explicit, so that the retry policy is the request's (the driver's managed
   * transactions retry an unreachable server for maxTransactionRetryTime, 30 s by default).
   */
  private requestTx<T>(mode: SessionMode, deadline: number, work: (tx: Tx) => Promise<T>): Promise<T> {
    return this.inRequest(mode, deadline, async (session, timeout) => {
      const tx = await session.beginTransaction({ timeout });
      try {
        const result = await work(new Tx(tx, this));
        await tx.commit();
        return result;
      } catch (e) {
        if (tx.isOpen()) await tx.rollback().catch(() => undefined);
        throw e;
      }
    });
  }

  /**
   * One attempt after another of a request's work in a new session, with the request's time left as Neo4j's
   * transaction timeout: an unreachable server is retried twice, a transient error while time is left.
   */
  private async inRequest<T>(mode: SessionMode, deadline: number, attempt: (session: Session, timeoutMs: number) => Promise<T>): Promise<T> {
    let unavailable = 0;
    for (let tries = 1; ; tries++) {
      const left = deadline - Date.now();
      if (left <= 0) throw new DeadlineExceededError();
      const session = this.driver.session({ database: this.database, defaultAccessMode: mode });
      try {
        return await attempt(session, Math.max(1, Math.ceil(left)));
      } catch (e) {
        const kind = this.failed(e, deadline);
        if (kind === 'unavailable' && ++unavailable <= UNAVAILABLE_RETRIES && deadline - Date.now() > 200) {
          await sleep(50 * unavailable);
          continue;
        }
        if (kind === 'transient' && deadline - Date.now() > 200) {
          await sleep(Math.min(1000, 50 * 2 ** tries) * (0.5 + Math.random()));
          continue;
        }
        throw this.translate(e, kind);
      } finally {
        await session.close().catch(() => undefined);
      }
    }
  }

  /** Classifies a failure inside a request and tells the listeners; errors of the work itself are 'other'. */
  private failed(e: unknown, deadline: number): Neo4jFailure {
    if (e instanceof DeadlineExceededError || e instanceof Neo4jUnavailableError) return 'other';
    const code = String((e as { code?: unknown })?.code ?? '');
    const isDriverError = e instanceof neo4j.Neo4jError;
    let kind = classifyNeo4jError(e);
    // A transaction Neo4j ended because its timeout passed may be reported as terminated rather than timed out.
    if (isDriverError && kind !== 'unavailable' && Date.now() >= deadline) kind = 'timeout';
    if (isDriverError) for (const listener of this.failureListeners) listener(kind, code || 'N/A');
    return kind;
  }

  private translate(e: unknown, kind: Neo4jFailure): unknown {
    if (kind === 'unavailable') return new Neo4jUnavailableError(String((e as { code?: unknown })?.code ?? 'N/A'));
    if (kind === 'timeout') return new DeadlineExceededError();
    return e;
  }

  /**
   * One read statement in an auto-commit transaction that the server aborts after `timeoutMs` (or the request's
   * time left, if less), never retried.
   */
  async readOnce<R extends RecordShape = RecordShape>(statement: string, params: Params, timeoutMs: number): Promise<R[]> {
    const deadline = requestDeadline.getStore();
    const left = deadline === undefined ? timeoutMs : Math.min(timeoutMs, deadline - Date.now());
    if (left <= 0) throw new DeadlineExceededError();
    const session = this.driver.session({ database: this.database, defaultAccessMode: neo4j.session.READ });
    try {
      this.roundTrips++;
      const result = await session.run<R>(cypher(statement), params, { timeout: Math.max(1, Math.ceil(left)) });
      return result.records.map((r) => r.toObject() as R);
    } catch (e) {
      if (deadline === undefined) throw e;
      throw this.translate(e, this.failed(e, deadline));
    } finally {
      await session.close().catch(() => undefined);
    }
  }

  /**
   * One read statement, records as plain objects. Inside a request it runs as an auto-commit transaction (one
   * round trip where an explicit one takes two: half the time of the small reads every request makes, measured in
   * bench/README.md), retried as a request's transactions are; outside, as a managed read transaction.
   */
  async read<R extends RecordShape = RecordShape>(statement: string, params: Params = {}): Promise<R[]> {
    const deadline = requestDeadline.getStore();
    if (deadline === undefined) return this.readTx(async (tx) => (await tx.run<R>(statement, params)).records.map((r) => r.toObject() as R));
    return this.inRequest(neo4j.session.READ, deadline, async (session, timeout) => {
      this.roundTrips++;
      const result = await session.run<R>(cypher(statement), params, { timeout });
      return result.records.map((r) => r.toObject() as R);
    });
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

/**
 * Driver settings for failing fast when Neo4j is unreachable: a connection attempt and a wait for a pooled
 * connection are bounded by a few seconds (LABORTRACE_NEO4J_CONNECT_TIMEOUT_MS, LABORTRACE_NEO4J_ACQUIRE_TIMEOUT_MS).
 * The driver reconnects to the same address by itself once Neo4j is back.
 */
export function driverConfig(cfg: Pick<Config, 'neo4jConnectTimeoutMs' | 'neo4jAcquireTimeoutMs'>): DriverConfig {
  return {
    disableLosslessIntegers: true,
    connectionTimeout: cfg.neo4jConnectTimeoutMs,
    connectionAcquisitionTimeout: cfg.neo4jAcquireTimeoutMs,
    logging: { level: 'error', logger: (_: string, m: string) => process.stderr.write(`neo4j-driver: ${m}\n`) },
  };
}

/** Connects to NEO4J_URI when set, otherwise to the embedded Neo4j under LABORTRACE_HOME (started on demand). */
export async function connect(cfg: Config = loadConfig()): Promise<Neo4jClient> {
  const config = driverConfig(cfg);
  let driver: Driver;
  if (cfg.neo4jUri) {
    driver = neo4j.driver(cfg.neo4jUri, neo4j.auth.basic(cfg.neo4jUser, cfg.neo4jPassword), config);
  } else {
    driver = neo4j.driver(boltUri(await ensureRunning(cfg)), embeddedAuth(cfg), config);
  }
  await driver.verifyConnectivity();
  return new Neo4jClient(driver, cfg.neo4jDatabase);
}
