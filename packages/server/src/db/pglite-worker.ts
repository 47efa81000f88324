import { parentPort, workerData } from "node:worker_threads";
import { PGlite, parse, protocol, type Results } from "@electric-sql/pglite";
import type { PgliteReply, PgliteRequest, PgliteResult } from "./pglite-thread.ts";
import { valueParsers } from "./value-parsers.ts";

/**
 * The embedded database's own thread (started by pglite-thread.ts). PostgreSQL compiled to
 * WebAssembly runs synchronously: on the server's thread it stopped HTTP while it worked, and
 * the second core stood idle. Requests arrive one at a time, in the order the connection lock
 * on the server's side hands the connection out.
 */

const port = parentPort;
if (!port) throw new Error("pglite-worker.ts runs as a worker thread");

const { dataDir } = workerData as { dataDir: string | undefined };
const pg = await PGlite.create(dataDir, { parsers: valueParsers });
const unlisten = new Map<string, () => Promise<void>>();

const result = (r: Results): PgliteResult => ({ rows: r.rows, affectedRows: r.affectedRows });

async function run(request: PgliteRequest): Promise<unknown> {
  switch (request.op) {
    case "exec":
      return (await pg.exec(request.sql)).map(result);
    case "query":
      return result(await pg.query(request.sql, request.params));
    case "named":
      return result(await executeNamed(request.name, request.sql, request.params));
    case "listen":
      if (!unlisten.has(request.channel))
        unlisten.set(
          request.channel,
          await pg.listen(request.channel, (payload) =>
            port?.postMessage({ channel: request.channel, payload } satisfies PgliteReply),
          ),
        );
      return null;
    case "unlisten":
      await unlisten.get(request.channel)?.();
      unlisten.delete(request.channel);
      return null;
    case "close":
      await pg.close();
      return null;
  }
}

// One request at a time, in the order sent: a request's statements never interleave with the next's.
let previous: Promise<void> = Promise.resolve();
port.on("message", (request: PgliteRequest) => {
  previous = previous.then(() =>
    run(request).then(
      (value) => reply(request.id, { id: request.id, value }),
      // A database error keeps its fields (code, constraint, detail...), which callers read.
      (error: Error) => reply(request.id, { id: request.id, error: { ...error, message: error.message } }),
    ),
  );
});

/** Answers a request; what cannot cross to the other thread is answered as an error. */
function reply(id: number, message: PgliteReply) {
  try {
    port?.postMessage(message);
  } catch (error) {
    port?.postMessage({ id, error: { message: String(error) } } satisfies PgliteReply);
  }
}
port.postMessage({ ready: true } satisfies PgliteReply);

/**
 * A named prepared statement, as pg runs one: Parse once, then Bind/Execute/Sync per call in
 * one protocol round. PGlite's query() parses and plans every call, and planning reads every
 * relation's and index's size from the file system; a generic plan kept by name does not.
 */
async function executeNamed(name: string, text: string, parameters: readonly unknown[]): Promise<Results> {
  const types = await parameterTypes(name, text);
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

/** Parameter types of the statements prepared so far, by name. */
const prepared = new Map<string, number[]>();

/** Prepares the statement on first use and returns its parameter types. */
async function parameterTypes(name: string, text: string): Promise<number[]> {
  let types = prepared.get(name);
  if (!types) {
    const described = await pg.execProtocolStream(
      concat([
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: "S", name }),
        protocol.serialize.sync(),
      ]),
    );
    types = parse.parseDescribeStatementResults(described);
    prepared.set(name, types);
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
