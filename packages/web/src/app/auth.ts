import { queryOptions, useSuspenseQuery } from "@tanstack/react-query";
import { type Action, type Permissions, permits, type RecordKind } from "#domain/access.ts";
import { type Role, roleCodes as roles } from "#domain/codes.ts";
import { api } from "./api.ts";

export { type Role, roles };

/** Affiliation kinds (API `affiliation.kind`). */
export const affiliationKinds = ["health_center", "facility", "prefecture", "national", "admin"] as const;
export type AffiliationKind = (typeof affiliationKinds)[number];

export type Affiliation = { kind: AffiliationKind; id: string; name: string };

/** `GET /api/v1/me` */
export type Me = {
  id: string;
  loginId: string;
  role: Role;
  displayName: string;
  affiliation: Affiliation;
  /** The session may only enrol the second factor (アカウント設定) until it is confirmed. */
  totpEnrolmentRequired?: boolean;
  /** An administrator reset the password: the session may only replace it (アカウント設定). */
  passwordChangeRequired?: boolean;
  /** What the user may do, per record kind, from the server's access rules. */
  permissions: Permissions;
};

export type LoginRequest = { loginId: string; password: string; totp?: string };
export type LoginResponse = { token: string; user: { id: string; role: Role } };

export const meQueryKey = ["me"] as const;

/** The signed-in user. 401 is thrown (not redirected) so the auth guard decides what to do. */
export const meQueryOptions = queryOptions({
  queryKey: meQueryKey,
  queryFn: ({ signal }) => api.get<Me>("/me", { signal, on401: "throw" }),
  staleTime: 5 * 60_000,
  retry: false,
});

/** The signed-in user, inside the authenticated layout (the guard has already loaded it). */
export function useMe(): Me {
  return useSuspenseQuery(meQueryOptions).data;
}

export function login(body: LoginRequest): Promise<LoginResponse> {
  return api.post<LoginResponse>("/auth/login", body, { on401: "throw" });
}

export function logout(): Promise<void> {
  return api.post<void>("/auth/logout", undefined, { on401: "throw" });
}

/** Whether the signed-in user may do `action` to some record of `kind` (the server decides). */
export function can(me: Me, action: Action, kind: RecordKind): boolean {
  return permits(me.permissions, action, kind);
}
