/** Where to go after signing in: only a path on this site, never back to /login. */
export function safeRedirect(target: string | undefined): string {
  if (!target?.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) return "/";
  if (target === "/login" || target.startsWith("/login?") || target.startsWith("/login/")) return "/";
  return target;
}
