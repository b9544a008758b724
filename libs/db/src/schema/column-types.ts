import type { ColumnType } from "kysely";

/**
 * Column types shared by the table interfaces. Reads are what both pg and
 * PGlite return with `openDatabase`'s parsers: timestamptz → Date, int8 →
 * decimal string, jsonb → parsed JSON.
 */

/**
 * A jsonb column. Reads as the parsed value on pg and PGlite alike; writes
 * accept the value or its JSON text (both drivers send an object as
 * `JSON.stringify` and a string unchanged). Arrays must be written as JSON
 * text: pg would send a JS array as a Postgres array literal.
 */
export type Json<T> = ColumnType<T, string | T, string | T>;

/** A jsonb column with a default: optional on insert. */
export type JsonWithDefault<T> = ColumnType<T, string | T | undefined, string | T>;

/** An int8 column, read as a decimal string (ids and counters may exceed 2^53). */
export type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;

/** An int8 column with a default (or a bigserial): optional on insert. */
export type Int8WithDefault = ColumnType<string, string | number | bigint | undefined, string | number | bigint>;

/** A timestamptz column defaulting to `now()`: read as Date, optional on insert. */
export type TimestampWithDefault = ColumnType<Date, Date | string | undefined, Date | string>;

/** A nullable timestamptz column: read as Date or null, optional on insert. */
export type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

/** A nullable column of another type: optional on insert. */
export type Nullable<T> = ColumnType<T | null, T | null | undefined, T | null>;
