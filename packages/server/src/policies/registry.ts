import { type Action, type RecordKind, recordKinds } from "#domain/access.ts";
import type { Role, Section } from "#domain/codes.ts";
import { forbidden } from "../http/errors.ts";
import type { Actor } from "./actor.ts";

/**
 * The one registry of access rules (Outline style): each record kind's file in this folder
 * declares who may do what to it with `allow`, and routes and services ask `authorize`. The
 * web app receives the same answers (`permissionsOf`) so its screens never decide by role name.
 */
/**
 * What a rule is about: a record kind, or one section of a case record (its fields grouped as
 * HER-SYS input areas, policies/sections.ts), decided per case. Sections stay server-side: the
 * record screen receives each case's readable and writable sections with the case.
 */
export type Kind = RecordKind | `section:${Section}`;
/** A role, several roles, every staff role, or a test on the actor alone. */
export type Who = Role | readonly Role[] | "staff" | ((actor: Actor) => boolean);
/** A test on one record, applied when `authorize` is given that record. */
export type Condition<R> = (actor: Actor, record: R) => boolean;

type Rule = {
  who: (actor: Actor) => boolean;
  action: Action;
  kind: Kind;
  condition?: Condition<never>;
};

const rules: Rule[] = [];
const refusals = new Map<string, { role?: string; record?: string }>();

function whoTest(who: Who): (actor: Actor) => boolean {
  if (typeof who === "function") return who;
  if (who === "staff") return () => true;
  const roles: readonly Role[] = typeof who === "string" ? [who] : who;
  return (actor) => roles.includes(actor.role);
}

/** Declares that `who` may do `action` to records of `kind` (those passing `condition`). */
export function allow<R = never>(
  who: Who,
  action: Action | readonly Action[],
  kind: Kind | readonly Kind[],
  condition?: Condition<R>,
): void {
  for (const k of typeof kind === "string" ? [kind] : kind)
    for (const a of typeof action === "string" ? [action] : action)
      rules.push({
        who: whoTest(who),
        action: a,
        kind: k,
        condition: condition as Condition<never> | undefined,
      });
}

/**
 * The message a refused `action` on `kind` answers with (the generic one when undefined), and
 * the one for a role that may act on the kind but not on this record.
 */
export function refuse(
  action: Action | readonly Action[],
  kind: Kind | readonly Kind[],
  message: string | undefined,
  recordMessage?: string,
): void {
  for (const k of typeof kind === "string" ? [kind] : kind)
    for (const a of typeof action === "string" ? [action] : action)
      refusals.set(`${a} ${k}`, { role: message, record: recordMessage });
}

/** Actors that passed `authorize` during their request: a staff route that never asks fails. */
const authorized = new WeakSet<Actor>();

export function wasAuthorized(actor: Actor): boolean {
  return authorized.has(actor);
}

/**
 * Whether the actor may do `action` to `kind`. Without a record: to some record of the kind
 * (the route's gate, and the permissions sent to the web app). With one: to that record.
 */
export function can<R>(actor: Actor, action: Action, kind: Kind, ...record: [] | [R]): boolean {
  return rules.some(
    (r) =>
      r.kind === kind &&
      r.action === action &&
      r.who(actor) &&
      (record.length === 0 || !r.condition || (r.condition as Condition<R>)(actor, record[0] as R)),
  );
}

/** Returns the actor when it may do `action` to `kind` (or to the record); 403 otherwise. */
export function authorize<R>(actor: Actor, action: Action, kind: Kind, ...record: [] | [R]): Actor {
  if (!can(actor, action, kind, ...record)) {
    const refusal = refusals.get(`${action} ${kind}`);
    throw forbidden(can(actor, action, kind) ? (refusal?.record ?? refusal?.role) : refusal?.role);
  }
  authorized.add(actor);
  return actor;
}

const isRecordKind = (kind: Kind): kind is RecordKind => (recordKinds as readonly string[]).includes(kind);

/** What the actor may do, per record kind: the `permissions` of GET /me (sections go per case). */
export function permissionsOf(actor: Actor): Partial<Record<RecordKind, Action[]>> {
  const out: Partial<Record<RecordKind, Action[]>> = {};
  for (const r of rules) {
    if (!isRecordKind(r.kind) || !r.who(actor)) continue;
    const actions = out[r.kind] ?? [];
    if (!actions.includes(r.action)) actions.push(r.action);
    out[r.kind] = actions;
  }
  return out;
}
