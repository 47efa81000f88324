import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from "kysely";
import type { PgliteThread } from "./pglite-thread.ts";
import { preparedName } from "./prepared.ts";

/**
 * Kysely dialect for PGlite 0.5 on its own thread. PGlite is one connection, so the driver
 * hands it out to one user at a time: a transaction holds it until commit, and other queries wait.
 */
export function pgliteDialect(pg: PgliteThread, lock: ConnectionLock): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pg, lock),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/**
 * The one PGlite connection is used by Kysely, pg-boss and LISTEN alike. A transaction holds
 * it exclusively, so nobody's statement lands inside somebody else's transaction. A single
 * statement outside a transaction only waits for the transactions before it: the database
 * thread runs what it is sent in order, so statements are sent without waiting for each other's
 * answers and the thread never idles between them.
 */
export class ConnectionLock {
  #queue: Promise<void> = Promise.resolve();

  /** Exclusive use until the returned release is called (a transaction). */
  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  /** One request (a statement, a script) after the transactions already waiting or open. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    await this.#queue;
    return work();
  }
}

class PgliteDriver implements Driver {
  readonly #pg: PgliteThread;
  readonly #lock: ConnectionLock;

  constructor(pg: PgliteThread, lock: ConnectionLock) {
    this.#pg = pg;
    this.#lock = lock;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteConnection(this.#pg, this.#lock);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await (connection as PgliteConnection).holdExclusively();
    const level = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : "";
    await connection.executeQuery(CompiledQuery.raw(`begin${level}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("commit"));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("rollback"));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as PgliteConnection).release();
  }

  async destroy(): Promise<void> {}
}

/** A use of the connection: one statement, or a transaction holding it exclusively. */
class PgliteConnection implements DatabaseConnection {
  readonly #pg: PgliteThread;
  readonly #lock: ConnectionLock;
  #release: (() => void) | null = null;

  constructor(pg: PgliteThread, lock: ConnectionLock) {
    this.#pg = pg;
    this.#lock = lock;
  }

  async holdExclusively(): Promise<void> {
    this.#release = await this.#lock.acquire();
  }

  release(): void {
    this.#release?.();
    this.#release = null;
  }

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.#release ? this.#execute(compiled) : this.#lock.run(() => this.#execute<R>(compiled));
  }

  async #execute<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const name = preparedName(compiled.sql);
    // Without parameters, use the simple protocol so migration scripts may hold many statements.
    const result = name
      ? await this.#pg.named(name, compiled.sql, [...compiled.parameters])
      : compiled.parameters.length === 0
        ? ((await this.#pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.#pg.query(compiled.sql, [...compiled.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    };
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; streaming is not offered.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streamQuery is not supported on PGlite");
  }
}
