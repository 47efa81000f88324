import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Action, RecordKind } from "#domain/access.ts";
import { registerAuthentication, requireActor } from "../http/auth.ts";
import { AppError, registerErrorMapper } from "../http/errors.ts";
import { findActorBySession } from "../modules/auth/repository.ts";
import { startTestServer, type TestServer } from "../test/harness.ts";
import { authorize, can } from "./index.ts";
import type { CaseFacts } from "./sections.ts";

let server: TestServer;
let app: FastifyInstance;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ["hc-a", "clinic-a", "pref", "nation", "admin"]) tokens[who] = await server.login(who);
  // A second app on the same database: the real authentication, and routes a module might add.
  app = Fastify();
  registerErrorMapper(app);
  registerAuthentication(app, server.ctx.db, { isDevice: async () => false, idleMinutes: 30 });
  app.get("/api/v1/without-rule", async (request) => {
    requireActor(request);
    return { secret: "誰にも見せない値" };
  });
  app.get("/api/v1/with-rule", async (request) => {
    authorize(requireActor(request), "list", "case");
    return { items: [] };
  });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await server?.stop();
});

const call = (url: string, who: string) =>
  app.inject({ method: "GET", url, headers: { authorization: `Bearer ${tokens[who]}` } });

describe("a route without a declared rule", () => {
  it("fails closed for every role instead of answering", async () => {
    for (const who of Object.keys(tokens)) {
      const res = await call("/api/v1/without-rule", who);
      expect(res.statusCode, who).toBe(500);
      expect(res.json().error.code).toBe("no_access_rule");
      expect(res.body).not.toContain("誰にも見せない値");
    }
  });

  it("answers once the route asks the rules, and refuses the roles they leave out", async () => {
    expect((await call("/api/v1/with-rule", "hc-a")).statusCode).toBe(200);
    expect((await call("/api/v1/with-rule", "clinic-a")).statusCode).toBe(200);
    for (const who of ["nation", "admin"]) {
      const res = await call("/api/v1/with-rule", who);
      expect(res.statusCode, who).toBe(403);
      expect(res.json().error.code).toBe("forbidden");
    }
  });
});

describe("the permissions GET /me sends", () => {
  type Me = { permissions: Partial<Record<RecordKind, Action[]>> };

  it("are what the rules answer for the user, and nothing else", async () => {
    for (const who of Object.keys(tokens)) {
      const me = await server.api<Me>("GET", "/api/v1/me", { token: tokens[who] });
      expect(me.status).toBe(200);
      const actor = await findActorBySession(server.ctx.db, tokens[who], "127.0.0.1");
      if (!actor) throw new Error(`no actor for ${who}`);
      const entries = Object.entries(me.body.permissions) as [RecordKind, Action[]][];
      expect(entries.length, who).toBeGreaterThan(0);
      for (const [kind, actions] of entries)
        for (const action of actions) expect(can(actor, action, kind), `${who} ${action} ${kind}`).toBe(true);
    }
  });

  it("give case records to the jurisdictions and never to the nation or the administrator", async () => {
    const permissions = async (who: string) =>
      (await server.api<Me>("GET", "/api/v1/me", { token: tokens[who] })).body.permissions;
    expect((await permissions("hc-a")).case).toEqual(
      expect.arrayContaining(["read", "update", "assignHospital"]),
    );
    expect((await permissions("clinic-a")).case).not.toContain("assignHospital");
    expect((await permissions("pref")).cluster).toEqual(["read"]);
    expect((await permissions("nation")).case).toBeUndefined();
    expect((await permissions("admin")).case).toBeUndefined();
    expect((await permissions("admin")).user).toEqual(expect.arrayContaining(["list", "create", "update"]));
  });

  it("open the screens once gated by role name by the rule their API authorizes", async () => {
    const permissions = async (who: string) =>
      (await server.api<Me>("GET", "/api/v1/me", { token: tokens[who] })).body.permissions;
    // 行動歴一覧・接触者一覧: the roles holding an investigation section right.
    expect((await permissions("hc-a")).activity).toContain("list");
    expect((await permissions("pref")).activity).toContain("list");
    expect((await permissions("clinic-a")).activity).not.toContain("list");
    // 受付: the center the notifications are routed to.
    expect((await permissions("hc-a")).notification).toContain("review");
    expect((await permissions("pref")).notification).not.toContain("review");
    // 病床状況: a facility's own staff report; the prefecture corrects.
    expect((await permissions("clinic-a")).capacity).toEqual(["read"]);
    expect((await permissions("pref")).capacity).toEqual(expect.arrayContaining(["read", "update"]));
    expect((await permissions("pref")).capacity).not.toContain("report");
    expect((await permissions("nation")).capacity).toEqual(["read"]);
  });
});

describe("rules decided per record, and the messages of their refusals", () => {
  const actorOf = async (who: string) => {
    const actor = await findActorBySession(server.ctx.db, tokens[who], "127.0.0.1");
    if (!actor) throw new Error(`no actor for ${who}`);
    return actor;
  };
  /** What `authorize` answers: "allowed", or the message of its 403. */
  const answer = (decide: () => unknown) => {
    try {
      decide();
      return "allowed";
    } catch (e) {
      if (!(e instanceof AppError) || e.status !== 403) throw e;
      return e.message;
    }
  };
  const generic = "この操作の権限がありません。";

  it("give statistics of the own prefecture, and of every prefecture to the nation only", async () => {
    const [hc, pref, nation, clinic] = await Promise.all(["hc-a", "pref", "nation", "clinic-a"].map(actorOf));
    const own = pref.prefectureCode ?? "";
    const other = own === "14" ? "13" : "14";
    const stats = (prefectureCode: string | null) => ({ prefectureCode });
    for (const actor of [hc, pref]) {
      expect(
        answer(() => authorize(actor, "read", "stats", stats(own))),
        actor.loginId,
      ).toBe("allowed");
      for (const scope of [other, null])
        expect(
          answer(() => authorize(actor, "read", "stats", stats(scope))),
          actor.loginId,
        ).toBe("他の都道府県の統計は閲覧できません。");
    }
    for (const scope of [own, other, null])
      expect(answer(() => authorize(nation, "read", "stats", stats(scope)))).toBe("allowed");
    expect(answer(() => authorize(clinic, "read", "stats", stats(own)))).toBe(generic);
  });

  it("let a prefecture bulk-export its own cases only", async () => {
    const [pref, hc] = await Promise.all(["pref", "hc-a"].map(actorOf));
    const own = pref.prefectureCode ?? "";
    const other = own === "14" ? "13" : "14";
    const period = { from: "2026-01-01", to: "2026-01-31" };
    expect(answer(() => authorize(pref, "bulkExport", "case", { ...period, prefectureCode: own }))).toBe(
      "allowed",
    );
    expect(answer(() => authorize(pref, "bulkExport", "case", { ...period, prefectureCode: other }))).toBe(
      "自都道府県の症例のみ出力できます。",
    );
    expect(answer(() => authorize(hc, "bulkExport", "case", { ...period, prefectureCode: own }))).toBe(
      generic,
    );
  });

  it("refuse a case's sections with the message of the screen that asks", async () => {
    const [hc, pref, clinic] = await Promise.all(["hc-a", "pref", "clinic-a"].map(actorOf));
    const mine: CaseFacts = {
      prefectureCode: hc.prefectureCode ?? "",
      responsibleHealthCenterId: hc.healthCenterId ?? "",
      relatedHealthCenterIds: [],
      notifyingFacilityId: null,
      admittedFacilityId: null,
    };
    const elsewhere: CaseFacts = { ...mine, responsibleHealthCenterId: crypto.randomUUID() };
    expect(answer(() => authorize(hc, "update", "section:basic", mine))).toBe("allowed");
    for (const section of ["basic", "diagnosis", "measures"] as const)
      expect(
        answer(() => authorize(hc, "update", `section:${section}`, elsewhere)),
        section,
      ).toBe("この区分を編集する権限がありません。");
    // The prefecture reads every section of its cases and writes none.
    expect(answer(() => authorize(pref, "read", "section:investigation", mine))).toBe("allowed");
    expect(answer(() => authorize(pref, "update", "section:investigation", mine))).toBe(
      "この症例の積極的疫学調査を入力する権限がありません。",
    );
    expect(answer(() => authorize(clinic, "read", "section:investigation", mine))).toBe(
      "この症例の積極的疫学調査を閲覧する権限がありません。",
    );
    expect(answer(() => authorize(hc, "read", "section:investigation", elsewhere))).toBe(
      "この症例の積極的疫学調査を閲覧する権限がありません。",
    );
    // Health observation keeps the generic refusal.
    expect(answer(() => authorize(hc, "update", "section:observation", elsewhere))).toBe(generic);
  });
});
