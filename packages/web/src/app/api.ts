/**
 * Thin fetch wrapper for the HTTP API (`/api/v1`, same origin, session cookie `sid`).
 *
 * - JSON in, JSON out; 204 gives `undefined`.
 * - Errors become `ApiError` with the server's `{"error":{"code","message","details"}}`.
 * - 401 calls the handler set with `setUnauthorizedHandler` (the router sends the user to the
 *   login page), unless the caller passes `on401: "throw"` and handles it itself.
 */

export const apiBase = "/api/v1";

/**
 * The server takes a cookie-authenticated write only with this header (CSRF protection that
 * does not rest on SameSite alone): every request of the staff app sends it.
 */
export const csrfHeader = { "X-Requested-With": "fetch" } as const;

/** One entry of a 400 reply's `details`: which field, and what is wrong with it. */
export type FieldIssue = { path: string; message: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Seconds from a `Retry-After` header (429/503), when given. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    retryAfter?: number | null;
  }) {
    super(init.message);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The 400 `details` as field issues (empty when the server sent none). */
  get fieldIssues(): FieldIssue[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue =>
        typeof d === "object" && d !== null && typeof d.path === "string" && typeof d.message === "string",
    );
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}

/**
 * Maps a 400 reply to `{ "<path>": "<message>" }` so each message can be shown under its field.
 * Paths are dotted (`patient.nameKana`); the first message per path wins.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isApiError(error)) return out;
  for (const issue of error.fieldIssues) {
    const path = String(issue.path).replace(/^body\./, "");
    out[path] ??= issue.message;
  }
  return out;
}

type UnauthorizedHandler = (error: ApiError) => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** The app sets this once (router.tsx): what to do when a request comes back 401. */
export function setUnauthorizedHandler(handler: UnauthorizedHandler | null): void {
  unauthorizedHandler = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** "redirect" (default): call the unauthorized handler, then throw. "throw": only throw. */
  on401?: "redirect" | "throw";
  headers?: Record<string, string>;
};

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith("/api/") || path.startsWith("/healthz") ? path : `${apiBase}${path}`;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${url}${url.includes("?") ? "&" : "?"}${qs}` : url;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

async function readBody(response: Response): Promise<unknown> {
  if (response.status === 204 || response.status === 205) return undefined;
  const text = await response.text();
  if (!text) return undefined;
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json") || /^[[{]/.test(text.trim())) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}

function toApiError(response: Response, body: unknown): ApiError {
  const retryAfter = parseRetryAfter(response.headers.get("retry-after"));
  const error =
    typeof body === "object" &&
    body !== null &&
    "error" in body &&
    typeof body.error === "object" &&
    body.error
      ? (body.error as { code?: unknown; message?: unknown; details?: unknown })
      : null;
  return new ApiError({
    status: response.status,
    code: typeof error?.code === "string" ? error.code : `http_${response.status}`,
    message:
      typeof error?.message === "string" ? error.message : response.statusText || `HTTP ${response.status}`,
    details: error?.details,
    retryAfter,
  });
}

export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...csrfHeader, ...options.headers };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    headers["Content-Type"] = "application/json";
    body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: "same-origin",
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === "AbortError") throw cause;
    throw new ApiError({ status: 0, code: "network_error", message: String(cause) });
  }
  const data = await readBody(response);
  if (!response.ok) {
    const error = toApiError(response, data);
    if (response.status === 401 && (options.on401 ?? "redirect") === "redirect") unauthorizedHandler?.(error);
    throw error;
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("GET", path, options),
  post: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("POST", path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("PUT", path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: Omit<RequestOptions, "body">) =>
    request<T>("PATCH", path, { ...options, body }),
  delete: <T>(path: string, options?: Omit<RequestOptions, "body">) => request<T>("DELETE", path, options),
};
