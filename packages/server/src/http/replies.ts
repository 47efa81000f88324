import { z } from "zod";

// Replies every module declares the same way, so the OpenAPI document shows them alike.

/** 204: no body. */
export const noContent = z.null().describe("No content.");

/**
 * A file or stream the route sends as it is (string, Buffer or stream: never serialised), so its
 * type here is open; the document shows it as a string of the route's `produces` type.
 */
const download = (description: string) => z.unknown().meta({ type: "string", description });

/** A CSV download; the route also declares `produces: ["text/csv"]`. */
export const csvFile = download("CSV file (header row first).");

/** NDJSON; the route also declares `produces`. */
export const ndjsonFile = download("NDJSON: one resource per line.");

/** Server-sent events; the route also declares `produces: ["text/event-stream"]`. */
export const eventStream = download("A stream of server-sent events.");
