import type { Writable } from "node:stream";
import type { FastifyServerOptions } from "fastify";
import type { Config } from "../config.ts";

/**
 * A URL fit for the log: the path, and the query's parameter names without their values.
 * Searches carry names, phone numbers and birth dates in the query string (`?q=山田`).
 */
export function redactUrl(url: string): string {
  const at = url.indexOf("?");
  if (at < 0) return url;
  const names = url
    .slice(at + 1)
    .split("&")
    .filter(Boolean)
    .map((pair) => `${pair.split("=")[0]}=[REDACTED]`);
  return `${url.slice(0, at)}?${names.join("&")}`;
}

/** The request log's settings: credentials and query values never reach it. */
export function loggerOptions(
  config: Pick<Config, "logLevel">,
  stream?: Writable,
): FastifyServerOptions["logger"] {
  return {
    level: config.logLevel,
    ...(stream ? { stream } : {}),
    // Never log credentials: tokens travel in headers and cookies only.
    redact: ["req.headers.authorization", "req.headers.cookie", 'res.headers["set-cookie"]'],
    serializers: {
      req: (request: { method: string; url: string; hostname?: string; ip?: string }) => ({
        method: request.method,
        url: redactUrl(request.url),
        host: request.hostname,
        remoteAddress: request.ip,
      }),
    },
  };
}
