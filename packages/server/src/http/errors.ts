import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { ZodError, type z } from "zod";
import { isDatabaseUnavailable } from "../ops/unavailable.ts";

export type FieldError = { path: string; message: string };

/** An error a client can act on: mapped to API.md's `{"error":{code,message,details}}`. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    details?: unknown,
    headers?: Record<string, string>,
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers ?? {};
  }
}

export const badRequest = (message: string, details: FieldError[]) =>
  new AppError(400, "invalid_request", message, details);
export const fieldError = (path: string, message: string) => badRequest(message, [{ path, message }]);
export const unauthorized = (code = "unauthorized", message = "サインインが必要です。") =>
  new AppError(401, code, message);
export const forbidden = (message = "この操作の権限がありません。") =>
  new AppError(403, "forbidden", message);
// 404 also for records that exist but are outside the user's scope: never reveal existence.
export const notFound = (message = "見つかりません。") => new AppError(404, "not_found", message);
export const conflict = (message: string, details?: unknown) =>
  new AppError(409, "conflict", message, details);

export function zodIssuesToFields(issues: readonly z.core.$ZodIssue[], prefix: string[] = []): FieldError[] {
  return issues.flatMap((issue) => {
    const base = [...prefix, ...issue.path.map(String)];
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: [...base, key].join("."), message: `未知の項目です: ${key}` }));
    }
    return [{ path: base.join(".") || "(body)", message: issue.message }];
  });
}

/**
 * How a field is named in `details`: body, query and path fields by their own names (as the
 * client wrote them: `patient.birthDate`, `limit`), headers as `headers.<name>`.
 */
export const fieldPrefix = (location: string) => (location === "headers" ? "headers" : "");

/** The one place where errors become HTTP responses. */
export function registerErrorMapper(app: FastifyInstance): void {
  app.setErrorHandler(replyToError);
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: {
        code: "not_found",
        message: `${request.method} ${request.url} はありません。`,
        details: null,
      },
    });
  });
}

export function replyToError(
  error: FastifyError | AppError | ZodError,
  request: FastifyRequest,
  reply: FastifyReply,
) {
  // A database outage is the server's temporary state, not a bug: 503 with Retry-After.
  if (isDatabaseUnavailable(error)) {
    request.log.warn({ err: error }, "database unavailable");
    error = databaseUnavailable();
  }
  if (error instanceof AppError) {
    return reply
      .headers(error.headers)
      .status(error.status)
      .send({ error: { code: error.code, message: error.message, details: error.details ?? null } });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const location = error.validationContext ?? "body";
    const details = error.validation.map((v) => {
      const path = [fieldPrefix(location), ...v.instancePath.split("/").filter(Boolean)]
        .filter(Boolean)
        .join(".");
      const keys = v.keyword === "unrecognized_keys" ? ((v.params as { keys?: string[] }).keys ?? []) : [];
      return keys.length > 0
        ? { path: [path, ...keys].filter(Boolean).join("."), message: `未知の項目です: ${keys.join(", ")}` }
        : { path: path || location, message: v.message ?? "不正な値です" };
    });
    return reply.status(400).send({
      error: { code: "invalid_request", message: describe(details), details },
    });
  }
  if (error instanceof ZodError) {
    const details = zodIssuesToFields(error.issues);
    return reply
      .status(400)
      .send({ error: { code: "invalid_request", message: describe(details), details } });
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    // Fastify's and its plugins' own messages are English: clients get a Japanese one.
    const code = status === 413 ? "payload_too_large" : status === 429 ? "rate_limited" : "invalid_request";
    const message = clientErrorMessage(status);
    const details = status === 400 ? [{ path: "(body)", message }] : null;
    return reply.status(status).send({ error: { code, message, details } });
  }
  request.log.error({ err: error }, "unhandled error");
  return reply
    .status(500)
    .send({ error: { code: "internal", message: "内部エラーが発生しました。", details: null } });
}

const clientErrorMessages: Record<number, string> = {
  400: "リクエストの形式が正しくありません。",
  405: "このメソッドは使えません。",
  406: "この形式では応答できません。",
  411: "Content-Length が必要です。",
  413: "リクエストが大きすぎます。",
  414: "URL が長すぎます。",
  415: "この Content-Type には対応していません。JSON で送ってください。",
  429: "リクエストが多すぎます。しばらく待ってからもう一度お試しください。",
};

/** A Japanese message for a 4xx that Fastify or a plugin raised with its own English one. */
export const clientErrorMessage = (status: number): string =>
  clientErrorMessages[status] ?? clientErrorMessages[400];

function describe(details: FieldError[]): string {
  return `入力内容を確認してください: ${details.map((d) => d.path).join(", ")}`;
}

/** Seconds a client should wait before trying again after a 503 for a database outage. */
const RETRY_AFTER_SECONDS = 2;

export const serviceUnavailable = (
  message = "混み合っているため、一時的に処理できません。しばらくしてから再度お試しください。",
  retryAfterSeconds = RETRY_AFTER_SECONDS,
  code = "service_unavailable",
) => new AppError(503, code, message, null, { "retry-after": String(retryAfterSeconds) });

export const databaseUnavailable = () =>
  serviceUnavailable(
    "データベースに一時的に接続できません。しばらくしてから再度お試しください。",
    RETRY_AFTER_SECONDS,
    "database_unavailable",
  );
