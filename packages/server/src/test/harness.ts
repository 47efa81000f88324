import { randomBytes } from "node:crypto";
import type { Writable } from "node:stream";
import pg from "pg";
import { type Config, defaultOperations } from "../config.ts";
import { type RunningServer, startServer } from "../server.ts";

/**
 * A real server on a fresh database for one test file: PGlite in memory by default, or a
 * new PostgreSQL database when TEST_DATABASE_URL (or DATABASE_URL) names a server.
 */
export type TestServer = RunningServer & {
  api: <T = unknown>(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ) => Promise<{ status: number; body: T; headers: Headers }>;
  login: (loginId: string, password?: string) => Promise<string>;
};

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: { jobs?: boolean; log?: (message: string) => void; logStream?: Writable } = {},
): Promise<TestServer> {
  const baseUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
  const databaseUrl = baseUrl ? await createFreshDatabase(baseUrl) : undefined;
  const config: Config = {
    port: 0,
    host: "127.0.0.1",
    dataDir: "",
    databaseUrl,
    demo: true,
    publicUrl: "http://localhost",
    logLevel: "silent",
    sessionHours: 12,
    ...defaultOperations,
    cookieSecure: false,
    sessionIdleMinutes: 30,
    ...overrides,
  };
  // Jobs are off unless a test asks: pg-boss polling would only slow other tests down.
  const server = await startServer(config, {
    jobs: options.jobs ?? false,
    log: options.log,
    logStream: options.logStream,
  });
  const api: TestServer["api"] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const res = await fetch(`${server.url}${path}`, { method, headers, body });
    const text = await res.text();
    const parsed = res.headers.get("content-type")?.includes("json") && text ? JSON.parse(text) : text;
    return { status: res.status, body: parsed, headers: res.headers };
  };
  const login = async (loginId: string, password = "demo-pass-2020") => {
    const res = await api<{ token: string }>("POST", "/api/v1/auth/login", { body: { loginId, password } });
    if (res.status !== 200)
      throw new Error(`login ${loginId} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.token;
  };
  const stop = async () => {
    await server.stop();
    if (databaseUrl && baseUrl) await dropDatabase(baseUrl, databaseUrl);
  };
  return { ...server, stop, api, login };
}

export async function createFreshDatabase(baseUrl: string): Promise<string> {
  const name = `test_${Date.now()}_${randomBytes(4).toString("hex")}`;
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(baseUrl: string, url: string) {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: baseUrl });
  await client.connect();
  await client.query(`drop database if exists ${name} with (force)`);
  await client.end();
}
