import { describe, expect, it } from "vitest";
import type { Permissions } from "#domain/access.ts";
import enHome from "../i18n/en/home.json" with { type: "json" };
import jaHome from "../i18n/ja/home.json" with { type: "json" };
import type { Me } from "./auth.ts";
import { menuFor, menuItems } from "./menu.ts";

const me = (permissions: Permissions): Me => ({
  id: "u",
  loginId: "u",
  role: "clinic",
  displayName: "u",
  affiliation: { kind: "facility", id: "f", name: "f" },
  permissions,
});
const names = (permissions: Permissions) => menuFor(me(permissions)).map((i) => i.name);

describe("the menu", () => {
  it("lists exactly the entries whose permissions the user holds, whatever the role", () => {
    expect(names({})).toEqual([]);
    expect(names({ activity: ["read", "update"] })).toEqual([]);
    expect(names({ activity: ["list"], stats: ["read"] })).toEqual(["activities", "contacts", "stats"]);
    // The de-identified line list is for whoever may list statistics (the nation, a prefecture).
    expect(names({ stats: ["read", "list"] })).toEqual(["stats", "line-list"]);
  });

  it("needs every permission an entry names, and leaves out one another entry stands for", () => {
    expect(names({ case: ["list"] })).toEqual(["cases"]);
    // A bed-keeping facility's cases are its inpatients, beside its 病床状況.
    expect(names({ case: ["list"], capacity: ["report"] })).toEqual(["inpatients", "capacity"]);
    // A center's notifications are under 受付, not the filer's 届出一覧.
    expect(names({ notification: ["create", "revise"] })).toEqual(["notifications-new", "notifications"]);
    expect(names({ notification: ["create", "revise", "review"] })).toEqual(["intake", "notifications-new"]);
  });

  it("describes every entry on the home page in both languages", () => {
    for (const home of [jaHome, enHome])
      for (const item of menuItems) expect(home.task, item.name).toHaveProperty([item.name]);
  });
});
