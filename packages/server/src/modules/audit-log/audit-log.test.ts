import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../../test/harness.ts";

let server: TestServer;
const token: Record<string, string> = {};
const userId: Record<string, string> = {};
let caseId: string;
let caseNumber: string;
let personName: string;

type Item = {
  id: string;
  actor: { id: string; loginId: string; displayName: string } | null;
  action: string;
  outcome: string;
  entity: string;
  case: { id: string; caseNumber: string; personName: string | null } | null;
  listedCount: number;
  ip: string | null;
  userAgent: string | null;
};
type Page = { items: Item[]; nextCursor: string | null };
type ErrorBody = { error: { code: string; details: { path: string }[] | null } };

const log = (who: string, query = "") =>
  server.api<Page & ErrorBody>("GET", `/api/v1/audit-log${query}`, { token: token[who] });

beforeAll(async () => {
  server = await startTestServer();
  for (const who of ["hc-a", "hc-b", "pref", "admin", "nation"]) {
    token[who] = await server.login(who);
    userId[who] = (await server.api<{ id: string }>("GET", "/api/v1/me", { token: token[who] })).body.id;
  }
  const cases = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/cases?limit=1", {
    token: token["hc-a"],
  });
  caseId = cases.body.items[0].id;
  const record = await server.api<{ caseNumber: string; nameKanji: string }>(
    "GET",
    `/api/v1/cases/${caseId}`,
    { token: token["hc-a"], headers: { "user-agent": '=HYPERLINK("http://x")' } },
  );
  caseNumber = record.body.caseNumber;
  personName = record.body.nameKanji;
});
afterAll(async () => {
  await server?.stop();
});

describe("監査ログ API", () => {
  it("shows the administrator who read which case, when and from where, by name, not the patient's name", async () => {
    const res = await log("admin", "?loginId=hc-a&action=read");
    expect(res.status).toBe(200);
    const row = res.body.items.find((i) => i.case?.id === caseId);
    expect(row).toMatchObject({
      actor: { id: userId["hc-a"], loginId: "hc-a" },
      action: "read",
      outcome: "allowed",
      case: { caseNumber, personName: null },
      ip: expect.stringContaining("127.0.0.1"),
      userAgent: '=HYPERLINK("http://x")',
    });
    expect(row?.actor?.displayName).toBeTruthy();
    expect(res.body.items.every((i) => i.actor?.loginId === "hc-a" && i.action === "read")).toBe(true);
  });

  it("ties per-case reads (health observation, contacts) to their case", async () => {
    await server.api("GET", `/api/v1/cases/${caseId}/observation`, { token: token["hc-a"] });
    const res = await log("admin", `?caseId=${caseId}&loginId=hc-a`);
    const observation = res.body.items.find((i) => i.entity === "health_observation");
    expect(observation?.case?.caseNumber).toBe(caseNumber);
  });

  it("finds the list reads that named a case, those written before migration 1000 too", async () => {
    const listed = await server.api<{ items: { id: string }[] }>("GET", "/api/v1/cases?limit=3", {
      token: token["hc-a"],
    });
    // A row as list reads were written until migration 1000: the ids in detail, as JSON.
    await sql`insert into audit_log (actor_id, actor_role, action, entity, prefecture_code, detail)
      values (${userId["hc-a"]}, 'health_center', 'list', 'health_status', '13',
              ${JSON.stringify({ ids: [caseId, crypto.randomUUID()] })}::jsonb)`.execute(server.ctx.db);
    const res = await log("admin", `?caseId=${caseId}&loginId=hc-a&action=list`);
    const rows = res.body.items;
    expect(rows.map((r) => r.entity)).toEqual(expect.arrayContaining(["case", "health_status"]));
    expect(rows.find((r) => r.entity === "health_status")?.listedCount).toBe(2);
    expect(rows.find((r) => r.entity === "case")?.listedCount).toBe(listed.body.items.length);
    expect(listed.body.items.map((c) => c.id)).toContain(caseId);
  });

  it("shows the prefecture its own cases with the patient's name", async () => {
    const res = await log("pref", `?caseNumber=${caseNumber}`);
    expect(res.status).toBe(200);
    const row = res.body.items.find((i) => i.actor?.loginId === "hc-a" && i.action === "read");
    expect(row?.case).toEqual({ id: caseId, caseNumber, personName });
  });

  it("logs denied attempts with the outcome, and filters on it", async () => {
    // hc-b's center is not responsible for hc-a's case: 404, and a denied row.
    expect((await server.api("GET", `/api/v1/cases/${caseId}`, { token: token["hc-b"] })).status).toBe(404);
    expect(
      (await server.api("GET", `/api/v1/cases/${caseId}/contacts`, { token: token["hc-b"] })).status,
    ).toBe(404);
    const res = await log("admin", `?outcome=denied&actorId=${userId["hc-b"]}&caseId=${caseId}`);
    expect(res.body.items.length).toBe(2);
    expect(res.body.items.every((i) => i.outcome === "denied" && i.action === "read")).toBe(true);
    expect(res.body.items[0].case?.caseNumber).toBe(caseNumber);
  });

  it("is for administrators and prefectures only; a refused look at it is logged too", async () => {
    expect((await log("hc-a")).status).toBe(403);
    expect((await log("nation")).status).toBe(403);
    const denied = await log("admin", `?actorId=${userId["hc-a"]}&outcome=denied`);
    expect(denied.body.items.some((i) => i.entity === "audit_log")).toBe(true);
  });

  it("logs each reading of the log", async () => {
    await log("pref", "?action=export");
    const res = await log("admin", `?actorId=${userId.pref}&action=list`);
    expect(res.body.items.some((i) => i.entity === "audit_log" && i.outcome === "allowed")).toBe(true);
  });

  it("keeps the prefecture to its own cases and users", async () => {
    const rows = (await log("pref", "?limit=500")).body.items;
    expect(rows.length).toBeGreaterThan(0);
    // The administrator's own actions on no case of the prefecture stay out of its view.
    expect(rows.some((i) => i.actor?.loginId === "admin" && !i.case)).toBe(false);
    const adminView = (await log("admin", `?actorId=${userId.admin}`)).body.items;
    expect(adminView.length).toBeGreaterThan(0);
  });

  it("pages by keyset, without repeats, in both orders", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let i = 0; i < 4; i++) {
      const res: { body: Page } = await log("admin", `?limit=3${cursor ? `&cursor=${cursor}` : ""}`);
      seen.push(...res.body.items.map((r) => r.id));
      cursor = res.body.nextCursor;
      if (!cursor) break;
    }
    expect(seen.length).toBeGreaterThan(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => b - a));
    const asc = (await log("admin", "?order=asc&limit=5")).body.items.map((r) => Number(r.id));
    expect(asc).toEqual([...asc].sort((a, b) => a - b));
  });

  it("names every bad filter in one 400", async () => {
    const res = await log("admin", "?from=2026-13-01&actorId=x&action=peek&outcome=maybe&cursor=e30");
    expect(res.status).toBe(400);
    expect(res.body.error.details?.map((d) => d.path).sort()).toEqual(
      ["action", "actorId", "from", "outcome"].sort(),
    );
    expect((await log("admin", "?cursor=e30")).status).toBe(400);
  });

  it("downloads the same filter as CSV with a BOM, Japanese labels and no live formulas", async () => {
    const res = await fetch(`${server.url}/api/v1/audit-log.csv?loginId=hc-a&caseId=${caseId}`, {
      headers: { authorization: `Bearer ${token.admin}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes); // the decoder drops the BOM
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("日時,利用者,ログインID,操作,対象,症例番号,氏名,件数,結果,IPアドレス,ブラウザー");
    const read = lines.find((l) => l.includes(",閲覧,症例,"));
    expect(read).toContain(caseNumber);
    expect(read).toContain(",許可,");
    expect(read).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(lines.slice(1).every((l) => l.includes(",hc-a,"))).toBe(true);
    const exported = await log("admin", `?actorId=${userId.admin}&action=export`);
    expect(exported.body.items.some((i) => i.entity === "audit_log")).toBe(true);
  });
});

describe("audit_log is append-only for the application's connection", () => {
  it.each([
    ["UPDATE", sql`update audit_log set action = 'read' where id = (select min(id) from audit_log)`],
    ["DELETE", sql`delete from audit_log where id = (select min(id) from audit_log)`],
    ["TRUNCATE", sql`truncate audit_log`],
  ])("refuses %s", async (_op, statement) => {
    const before = await sql<{ n: string }>`select count(*) as n from audit_log`.execute(server.ctx.db);
    await expect(statement.execute(server.ctx.db)).rejects.toThrow(/append-only/);
    const after = await sql<{ n: string }>`select count(*) as n from audit_log`.execute(server.ctx.db);
    expect(Number(after.rows[0].n)).toBeGreaterThanOrEqual(Number(before.rows[0].n));
    expect(Number(before.rows[0].n)).toBeGreaterThan(0);
  });
});
