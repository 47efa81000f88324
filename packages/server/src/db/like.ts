// PostgreSQL's LIKE treats `%`, `_` and its default escape `\` as pattern syntax. User text must
// match literally: a search for "50%" or "a_b" must not match everything.
const escapeLike = (text: string) => text.replace(/[\\%_]/g, (ch) => `\\${ch}`);

/** LIKE pattern matching the text anywhere, its wildcards taken literally. */
export const likeContaining = (text: string) => `%${escapeLike(text)}%`;

/** LIKE pattern matching values that begin with the text, its wildcards taken literally. */
export const likePrefix = (text: string) => `${escapeLike(text)}%`;
