import { compiledSerializer } from "../../http/serialization.ts";
import { dailyCsvHead, dailyCsvLine, lineListCsvHead, lineListCsvLines } from "./csv.ts";
import { dailyItem } from "./schema.ts";
import type { LineListFormat, SeriesFormat } from "./service.ts";

/** The daily series as the compiled serializer of dailyReply writes it, a row at a time. */
export const json: SeriesFormat = {
  name: "json",
  head: ({ from, to }) => `{"from":${JSON.stringify(from)},"to":${JSON.stringify(to)},"items":[`,
  row: compiledSerializer({ schema: dailyItem }),
  separator: ",",
  tail: "]}",
};

/** The daily series as CSV: BOM and header, then a CRLF line per row. */
export const csv: SeriesFormat = {
  name: "csv",
  head: dailyCsvHead,
  row: dailyCsvLine,
  separator: "",
  tail: "",
};

/** The line list as CSV: BOM and header, then a CRLF line per row. */
export const lineListCsv: LineListFormat = { head: lineListCsvHead, rows: lineListCsvLines };
