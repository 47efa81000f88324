import type { z } from "zod";
import type {
  certificateReply,
  selfReply,
  selfSettingsReply,
  sessionReply,
} from "#server/modules/health/schema.ts";
import type { ReportBody } from "../modules/health/ReportForm.tsx";

/** The patient app's calls to the `self/*` API, with the device token kept on this phone. */
const tokenKey = "kansen.my.device";

export const deviceToken = {
  get: () => localStorage.getItem(tokenKey),
  set: (token: string) => localStorage.setItem(tokenKey, token),
  clear: () => localStorage.removeItem(tokenKey),
};

export class SelfApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { path: string; message: string }[];
  constructor(
    status: number,
    code: string,
    message: string,
    details: { path: string; message: string }[] = [],
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Fetch wrapper; a network failure is status 0 (offline or dropped). */
async function call<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const token = deviceToken.get();
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: {
        Accept: "application/json",
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "omit",
    });
  } catch (cause) {
    throw new SelfApiError(0, "network_error", String(cause));
  }
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data?.error ?? {};
    throw new SelfApiError(
      response.status,
      error.code ?? `http_${response.status}`,
      error.message ?? "",
      error.details ?? [],
    );
  }
  return data as T;
}

// Reply types are the server's response schemas (type-only imports: no server code in the bundle).
export type SelfOverview = z.infer<typeof selfReply>;
export type SelfCase = SelfOverview["cases"][number];
export type Period = SelfCase["period"];
export type Certificate = z.infer<typeof certificateReply>;

export const selfApi = {
  exchange: (linkToken: string) => call<z.infer<typeof sessionReply>>("POST", "/self/session", { linkToken }),
  overview: () => call<SelfOverview>("GET", "/self"),
  report: (body: ReportBody, idempotencyKey: string) =>
    call<{ id: string }>("POST", "/self/reports", body, { "Idempotency-Key": idempotencyKey }),
  settings: (body: { reminderTime?: string; language?: string }) =>
    call<z.infer<typeof selfSettingsReply>>("PUT", "/self/settings", body),
  certificate: (caseId: string) => call<Certificate>("GET", `/self/certificate?caseId=${caseId}`),
};
