import { z } from "zod";
import { auditActionCodes } from "#domain/audit.ts";
import { isoDateSchema } from "#domain/dates.ts";

/** The 監査ログ filter, shared by the page and its CSV download. */
export const auditFilterQuery = z.strictObject({
  from: isoDateSchema().optional(),
  to: isoDateSchema().optional(),
  actorId: z.uuid("利用者の指定が正しくありません。").optional(),
  loginId: z.string().trim().min(1).max(64).optional(),
  personId: z.uuid("患者の指定が正しくありません。").optional(),
  caseId: z.uuid("症例の指定が正しくありません。").optional(),
  caseNumber: z.string().trim().min(1).max(20).optional(),
  action: z.enum(auditActionCodes, "操作の種類が正しくありません。").optional(),
  outcome: z.enum(["allowed", "denied"], "結果は allowed か denied です。").optional(),
  order: z.enum(["desc", "asc"], "並び順は desc か asc です。").default("desc"),
});

export const auditListQuery = auditFilterQuery.extend({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export type AuditFilter = z.output<typeof auditFilterQuery>;

export const auditItem = z.object({
  id: z.string(),
  at: z.string(),
  actor: z
    .object({
      id: z.string(),
      loginId: z.string(),
      displayName: z.string(),
      role: z.string(),
      /** A person, or a facility's API client (a clinic system; `displayName` names it and its facility). */
      kind: z.enum(["staff", "api_client"]),
    })
    .nullable(),
  action: z.string(),
  outcome: z.enum(["allowed", "denied"]),
  entity: z.string(),
  /** The case the row concerns: its number always, the patient's name only if the viewer may see it. */
  case: z.object({ id: z.string(), caseNumber: z.string(), personName: z.string().nullable() }).nullable(),
  /** How many records a list read or export named. */
  listedCount: z.number(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditItem = z.infer<typeof auditItem>;
