import { afterEach, describe, expect, it, vi } from "vitest";
import { ApiError, api, buildUrl, fieldErrors, setUnauthorizedHandler } from "./api.ts";

function reply(status: number, body?: unknown, headers: Record<string, string> = {}) {
  return vi.fn(
    async () =>
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json", ...headers },
      }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
  setUnauthorizedHandler(null);
});

describe("api", () => {
  it("prefixes /api/v1, drops empty query values and sends same-origin credentials", async () => {
    const fetch = reply(200, { ok: true });
    vi.stubGlobal("fetch", fetch);
    expect(buildUrl("/facilities", { q: "", kind: "clinic", cursor: undefined })).toBe(
      "/api/v1/facilities?kind=clinic",
    );
    await expect(api.post("/auth/login", { loginId: "a" })).resolves.toEqual({ ok: true });
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/v1/auth/login");
    expect(init.credentials).toBe("same-origin");
    expect(init.body).toBe('{"loginId":"a"}');
  });

  it("returns undefined for 204", async () => {
    vi.stubGlobal("fetch", reply(204));
    await expect(api.post("/auth/logout")).resolves.toBeUndefined();
  });

  it("maps the error shape to ApiError with field details", async () => {
    vi.stubGlobal(
      "fetch",
      reply(400, {
        error: { code: "validation", message: "bad", details: [{ path: "loginId", message: "短すぎます" }] },
      }),
    );
    const error = await api.post("/admin/users", {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 400, code: "validation", message: "bad" });
    expect(fieldErrors(error)).toEqual({ loginId: "短すぎます" });
  });

  it("reads Retry-After on 429", async () => {
    vi.stubGlobal(
      "fetch",
      reply(429, { error: { code: "rate_limited", message: "slow down" } }, { "retry-after": "30" }),
    );
    await expect(api.get("/me")).rejects.toMatchObject({ status: 429, retryAfter: 30 });
  });

  it("calls the unauthorized handler on 401 unless the caller handles it", async () => {
    const handler = vi.fn();
    setUnauthorizedHandler(handler);
    vi.stubGlobal("fetch", reply(401, { error: { code: "unauthorized", message: "no session" } }));
    await expect(api.get("/cases")).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
    await expect(api.get("/me", { on401: "throw" })).rejects.toMatchObject({ status: 401 });
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("turns a failed fetch into a network_error", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () => {
        throw new TypeError("Failed to fetch");
      }),
    );
    await expect(api.get("/me")).rejects.toMatchObject({ status: 0, code: "network_error" });
  });
});
