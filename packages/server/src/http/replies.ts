import { Readable } from "node:stream";
import type { FastifyReply } from "fastify";
import { z } from "zod";
import { todayInTokyo } from "#domain/dates.ts";

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

/**
 * Sends a CSV download (UTF-8): its file name, and no copy kept in any cache (the files carry
 * personal data or what only the requester may see). Chunks are streamed as they are made.
 */
export function sendCsv(
  reply: FastifyReply,
  filename: string,
  body: AsyncIterable<string> | Iterable<string> | Readable,
) {
  return reply
    .header("content-type", "text/csv; charset=utf-8")
    .header("content-disposition", `attachment; filename="${filename}"`)
    .header("cache-control", "no-store")
    .send(body instanceof Readable ? body : Readable.from(body));
}

/** Today in Tokyo as YYYYMMDD, for a download's file name (a file made at 08:00 is today's). */
export const fileDay = (now = new Date()) => todayInTokyo(now).replaceAll("-", "");
