import client from "prom-client";
import type { AppContext } from "../context.ts";
import type { Semaphore } from "./semaphore.ts";

/** The routes whose 201 is one stored patient health report (健康観察). */
const REPORT_ROUTES = new Set(["/api/v1/self/reports", "/api/v1/cases/:id/health-reports"]);

export type Metrics = ReturnType<typeof createMetrics>;

/**
 * Prometheus metrics of one app instance: its own registry, so several servers in one
 * process (tests) do not share counters.
 */
export function createMetrics(ctx: AppContext, limits: { admission: Semaphore; login: Semaphore }) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const requests = new client.Counter({
    name: "http_requests_total",
    help: "HTTP requests answered, by route and status.",
    labelNames: ["method", "route", "status"] as const,
    registers: [registry],
  });
  const duration = new client.Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency, by route.",
    labelNames: ["method", "route"] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const reports = new client.Counter({
    name: "health_reports_ingested_total",
    help: "Health reports stored (retries answered from the first report not counted).",
    registers: [registry],
  });
  const shed = new client.Counter({
    name: "requests_shed_total",
    help: "Requests refused by overload protection, by reason.",
    labelNames: ["reason"] as const,
    registers: [registry],
  });
  new client.Gauge({
    name: "sse_clients",
    help: "Open event streams (/api/v1/events) in this process.",
    registers: [registry],
    collect() {
      this.set(ctx.realtime.subscriberCount);
    },
  });
  new client.Gauge({
    name: "realtime_listening",
    help: "1 when this process's LISTEN connections are up.",
    registers: [registry],
    collect() {
      this.set(ctx.database.listening() ? 1 : 0);
    },
  });
  new client.Gauge({
    name: "db_pool_connections",
    help: "Database pool connections, by state (total, idle, waiting clients, max).",
    labelNames: ["state"] as const,
    registers: [registry],
    collect() {
      const stats = ctx.database.poolStats();
      if (!stats) return;
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n);
    },
  });
  new client.Gauge({
    name: "admission_requests",
    help: "Requests being served and waiting under admission control, and the login hash queue.",
    labelNames: ["gate", "state"] as const,
    registers: [registry],
    collect() {
      for (const [gate, s] of Object.entries(limits)) {
        this.set({ gate, state: "active" }, s.active);
        this.set({ gate, state: "queued" }, s.queued);
      }
    },
  });
  new client.Gauge({
    name: "job_queue_depth",
    help: "Background jobs (pg-boss) by queue and state.",
    labelNames: ["queue", "state"] as const,
    registers: [registry],
    async collect() {
      const queues = await ctx.jobs?.queues().catch(() => []);
      for (const q of queues ?? []) {
        this.set({ queue: q.name, state: "queued" }, q.queued);
        this.set({ queue: q.name, state: "active" }, q.active);
      }
    },
  });
  return {
    registry,
    shed,
    /** Called once per answered request. */
    observe(method: string, route: string, status: number, seconds: number, replay: boolean) {
      requests.inc({ method, route, status: String(status) });
      duration.observe({ method, route }, seconds);
      if (status === 201 && !replay && REPORT_ROUTES.has(route)) reports.inc();
    },
  };
}
