import { describe, expect, it } from "vitest";
import { safeRedirect } from "./redirect.ts";

describe("safeRedirect", () => {
  it("keeps paths on this site", () => {
    expect(safeRedirect("/admin/users?q=a")).toBe("/admin/users?q=a");
  });

  it("refuses other sites, protocol-relative URLs and the login page itself", () => {
    for (const target of [
      undefined,
      "",
      "https://evil.example/",
      "//evil.example/",
      "/\\evil.example",
      "/login",
      "/login?redirect=/x",
    ]) {
      expect(safeRedirect(target)).toBe("/");
    }
  });
});
