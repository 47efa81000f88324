// Socket-level failures reaching the database, and pg-pool's bounded wait for a connection.
const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);
// SQLSTATEs for a server going away or refusing connections: admin_shutdown
// (pg_terminate_backend), crash_shutdown, cannot_connect_now, too_many_connections.
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
const MESSAGES = [
  /^Connection terminated/,
  /timeout exceeded when trying to connect/,
  /Client has encountered a connection error/,
  /Connection ended unexpectedly/,
];

/** Whether an error means the database could not be reached, as opposed to a bug or bad data. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const e = error as { code?: unknown; message?: unknown; errors?: unknown };
  if (typeof e.code === "string") {
    if (NETWORK_CODES.has(e.code) || SQLSTATES.has(e.code) || e.code.startsWith("08")) return true;
  }
  if (typeof e.message === "string" && MESSAGES.some((m) => m.test(e.message as string))) return true;
  // Connecting to several addresses fails as one AggregateError.
  return Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable);
}
