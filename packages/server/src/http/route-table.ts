import type { FastifyInstance } from "fastify";

declare module "fastify" {
  interface FastifyInstance {
    /** Every route as registered (method and URL pattern): what route-walking tests walk. */
    routeTable: { method: string; url: string }[];
  }
}

/** Collects the route table; register before any route. */
export function registerRouteTable(app: FastifyInstance): void {
  const table: FastifyInstance["routeTable"] = [];
  app.decorate("routeTable", table);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) table.push({ method, url: route.url });
  });
}
