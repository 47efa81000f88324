// POST /fhir/notifications: the bundle's structure (R4 schema, JP Core's required elements),
// then the notification it carries, checked as the HTTP API checks one; all problems at once.
import { DEFAULT_DISEASE_CODE } from "#domain/disease/index.ts";
import { validateNotification } from "#domain/notification.ts";
import type { AppContext } from "../../context.ts";
import type { Actor } from "../../policies/actor.ts";
import { findDisease } from "../diseases/repository.ts";
import { withDoctorName } from "../notifications/body.ts";
import { type SubmitResult, submitNotification } from "../notifications/service.ts";
import { notificationIssues, readBundle } from "./mapping.ts";
import type { FhirIssue } from "./validation.ts";

export type IntakeOutcome = { issues: (FhirIssue & { path?: string })[] } | { filed: SubmitResult };

export async function fileFhirNotification(
  ctx: Pick<AppContext, "db">,
  actor: Actor,
  bundle: unknown,
  idempotencyKey: string | null,
): Promise<IntakeOutcome> {
  const intake = readBundle(bundle);
  const issues: (FhirIssue & { path?: string })[] = [...intake.issues];
  const input = intake.input;
  if (input && Object.keys(input).length > 0) {
    const code = typeof input.diseaseCode === "string" ? input.diseaseCode : DEFAULT_DISEASE_CODE;
    const def = await findDisease(ctx.db, code);
    if (!def)
      issues.push({
        code: "code-invalid",
        expression: intake.expressionOf("diseaseCode"),
        diagnostics: "登録されていない感染症です。",
        path: "diseaseCode",
      });
    else {
      const v = validateNotification(def, withDoctorName(input, actor), undefined, { enforce: "api" });
      if (!v.ok) issues.push(...notificationIssues(intake, v.issues));
    }
  }
  if (issues.length > 0 || !input) return { issues };
  return { filed: await submitNotification(ctx.db, actor, input, idempotencyKey) };
}
