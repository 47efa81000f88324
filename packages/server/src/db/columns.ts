import type { ColumnType } from "kysely";

// Column types shared by db/schema.ts and the modules' tables.ts. A leaf module, so the
// schema can import the modules' tables without the tables importing the schema back.

/** Timestamps come back as Date and may be written as Date or ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
export type NullableTimestamp = ColumnType<
  Date | null,
  Date | string | null | undefined,
  Date | string | null
>;
export type Json<T = unknown> = ColumnType<T, string | T, string | T>;
export type NullableJson<T = unknown> = ColumnType<
  T | null,
  string | T | null | undefined,
  string | T | null
>;
