import { type PGlite, parse, protocol } from "@electric-sql/pglite";
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
import { preparedName } from "./prepared.ts";

/**
 * Kysely dialect for PGlite 0.5. PGlite is one connection, so the driver hands it out to
 * one user at a time: a transaction holds it until commit, and other queries wait.
 */
export function pgliteDialect(pg: PGlite, lock: ConnectionLock): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pg, lock),
    createIntrospector: (db: Kysely<unknown>) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  };
}

/**
 * The one PGlite connection is used by Kysely, pg-boss and LISTEN alike; whoever holds the
 * lock owns it, so nobody's statement lands inside somebody else's transaction.
 */
export class ConnectionLock {
  #queue: Promise<void> = Promise.resolve();

  async acquire(): Promise<() => void> {
    let release!: () => void;
    const previous = this.#queue;
    this.#queue = new Promise<void>((resolve) => {
      release = resolve;
    });
    await previous;
    return release;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

class PgliteDriver implements Driver {
  readonly #connection: PgliteConnection;
  readonly #lock: ConnectionLock;

  constructor(pg: PGlite, lock: ConnectionLock) {
    this.#connection = new PgliteConnection(pg);
    this.#lock = lock;
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    this.#connection.release = await this.#lock.acquire();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
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

class PgliteConnection implements DatabaseConnection {
  readonly #pg: PGlite;
  release: () => void = () => {};

  constructor(pg: PGlite) {
    this.#pg = pg;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const name = preparedName(compiled.sql);
    // Without parameters, use the simple protocol so migration scripts may hold many statements.
    const result = name
      ? await this.#executeNamed(name, compiled.sql, compiled.parameters)
      : compiled.parameters.length === 0
        ? ((await this.#pg.exec(compiled.sql)).at(-1) ?? { rows: [], affectedRows: 0 })
        : await this.#pg.query<R>(compiled.sql, [...compiled.parameters]);
    const affected = result.affectedRows;
    return {
      rows: result.rows as R[],
      numAffectedRows: affected === undefined ? undefined : BigInt(affected),
    };
  }

  /**
   * A named prepared statement, as pg runs one: Parse once, then Bind/Execute/Sync per call in
   * one protocol round. PGlite's query() parses and plans every call, and planning reads every
   * relation's and index's size from the file system; a generic plan kept by name does not.
   */
  async #executeNamed(name: string, text: string, parameters: readonly unknown[]) {
    const pg = this.#pg;
    const types = await parameterTypes(pg, name, text);
    // Values serialised by their parameter's type, as PGlite's query() does.
    const values = parameters.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = pg.serializers[types[i]];
      return serialize ? serialize(value) : String(value);
    });
    const messages = await pg.execProtocolStream(
      concat([
        protocol.serialize.bind({ statement: name, values }),
        protocol.serialize.describe({ type: "P" }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
    );
    return parse.parseResults(messages, pg.parsers)[0];
  }

  // biome-ignore lint/correctness/useYield: PGlite has no cursors; streaming is not offered.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streamQuery is not supported on PGlite");
  }
}

/** Parameter types of the statements prepared on each PGlite, by name (a session's names are its own). */
const prepared = new WeakMap<PGlite, Map<string, number[]>>();

/** Prepares the statement on first use and returns its parameter types. */
async function parameterTypes(pg: PGlite, name: string, text: string): Promise<number[]> {
  let statements = prepared.get(pg);
  if (!statements) {
    statements = new Map();
    prepared.set(pg, statements);
  }
  let types = statements.get(name);
  if (!types) {
    const described = await pg.execProtocolStream(
      concat([
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: "S", name }),
        protocol.serialize.sync(),
      ]),
    );
    types = parse.parseDescribeStatementResults(described);
    statements.set(name, types);
  }
  return types;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
