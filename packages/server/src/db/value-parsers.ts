/**
 * How result values are read, the same on PostgreSQL (pg) and PGlite: calendar dates stay
 * 'YYYY-MM-DD' strings (Asia/Tokyo dates, no time zone shifts); counts and numerics become numbers.
 */
export const valueParsers: Record<number, (value: string) => unknown> = {
  1082: (v) => v, // date
  20: Number, // int8
  1700: Number, // numeric
};
