import { z } from "zod";

/** Operational limits; each can be set from the environment (see docs/operations.md). */
export const defaultOperations = {
  admission: { maxConcurrent: 64, maxQueued: 256, queueTimeoutMs: 2000 },
  login: { concurrency: 2, queue: 8 },
  deviceReportsPerMinute: 60,
  pool: { max: 20, connectTimeoutMs: 3000 },
};

// Configuration is parsed once, at start; everything else receives the typed result.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z.url().optional(),
  DEMO: z.enum(["0", "1"]).optional(),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  // Admission control (ops/admission.ts) and the database pool.
  MAX_CONCURRENT_REQUESTS: z.coerce
    .number()
    .int()
    .positive()
    .default(defaultOperations.admission.maxConcurrent),
  MAX_QUEUED_REQUESTS: z.coerce.number().int().min(0).default(defaultOperations.admission.maxQueued),
  QUEUE_TIMEOUT_MS: z.coerce.number().int().positive().default(defaultOperations.admission.queueTimeoutMs),
  LOGIN_CONCURRENCY: z.coerce.number().int().positive().default(defaultOperations.login.concurrency),
  LOGIN_QUEUE: z.coerce.number().int().min(0).default(defaultOperations.login.queue),
  DEVICE_REPORTS_PER_MINUTE: z.coerce
    .number()
    .int()
    .positive()
    .default(defaultOperations.deviceReportsPerMinute),
  DB_POOL_MAX: z.coerce.number().int().positive().default(defaultOperations.pool.max),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().positive().default(defaultOperations.pool.connectTimeoutMs),
  // Messages to patients: e-mail over SMTP and SMS through an HTTP gateway. Unset: development
  // outbox only (messages held, never shown as sent).
  SMTP_URL: z.url().optional(),
  MAIL_FROM: z.string().min(3).default("kansen-share <no-reply@localhost>"),
  SMS_GATEWAY_URL: z.url().optional(),
  SMS_GATEWAY_KEY: z.string().min(1).optional(),
  // "1" or "0" forces the session cookie's Secure attribute; unset, it follows PUBLIC_URL.
  COOKIE_SECURE: z.enum(["0", "1"]).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().positive().default(30),
});

/** Where messages to patients go (health/transport.ts). */
export type DeliveryConfig = {
  smtpUrl?: string;
  mailFrom: string;
  smsGatewayUrl?: string;
  smsGatewayKey?: string;
};

export type Config = {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  /** Demo mode seeds demo data and lets demo accounts skip the second factor. */
  demo: boolean;
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>["LOG_LEVEL"];
  /** Absolute session lifetime. */
  sessionHours: number;
  /** Requests served at once and waiting beyond that; the rest are shed with 503. */
  admission: { maxConcurrent: number; maxQueued: number; queueTimeoutMs: number };
  /** Password verifications (argon2) at once and waiting; beyond that login answers 503. */
  login: { concurrency: number; queue: number };
  /** Patient device report limit, per device token. */
  deviceReportsPerMinute: number;
  pool: { max: number; connectTimeoutMs: number };
  /** Absent: no transport, the development outbox only. */
  delivery?: DeliveryConfig;
  /** The session cookie carries `Secure` (browsers then send it over https only). */
  cookieSecure: boolean;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
};

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`Invalid configuration: ${fields}`);
  }
  const e = parsed.data;
  // Demo mode is never on against a real PostgreSQL unless asked for explicitly.
  const demo = e.DEMO === "1" || (e.DATABASE_URL === undefined && e.DEMO !== "0");
  const publicUrl = e.PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    demo,
    publicUrl,
    logLevel: e.LOG_LEVEL,
    sessionHours: e.SESSION_HOURS,
    admission: {
      maxConcurrent: e.MAX_CONCURRENT_REQUESTS,
      maxQueued: e.MAX_QUEUED_REQUESTS,
      queueTimeoutMs: e.QUEUE_TIMEOUT_MS,
    },
    login: { concurrency: e.LOGIN_CONCURRENCY, queue: e.LOGIN_QUEUE },
    deviceReportsPerMinute: e.DEVICE_REPORTS_PER_MINUTE,
    pool: { max: e.DB_POOL_MAX, connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS },
    delivery: {
      smtpUrl: e.SMTP_URL,
      mailFrom: e.MAIL_FROM,
      smsGatewayUrl: e.SMS_GATEWAY_URL,
      smsGatewayKey: e.SMS_GATEWAY_KEY,
    },
    cookieSecure: e.COOKIE_SECURE ? e.COOKIE_SECURE === "1" : publicUrl.startsWith("https:"),
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
  };
}
