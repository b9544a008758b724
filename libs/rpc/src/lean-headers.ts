import type http2 from "node:http2";

/** RFC 9110 token: what undici accepts as a header name. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What undici refuses in a header value once trimmed: NUL, CR, LF (isValidHeaderValue) and anything above U+00FF (ByteString). */
const INVALID_VALUE = /[\0\r\n\u0100-\uffff]/;
/** HTTP whitespace undici strips from both ends of a value. */
const EDGE_WHITESPACE = /^[\t\n\r ]+|[\t\n\r ]+$/g;

const isWhitespace = (code: number) => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

function headerName(name: string, operation: string): string {
  if (!TOKEN.test(name)) {
    throw new TypeError(`Headers.${operation}: "${name}" is an invalid header name.`);
  }
  return name.toLowerCase();
}

function headerValue(value: string, operation: string): string {
  let v = String(value);
  if (v.length > 0 && (isWhitespace(v.charCodeAt(0)) || isWhitespace(v.charCodeAt(v.length - 1)))) {
    v = v.replace(EDGE_WHITESPACE, "");
  }
  if (INVALID_VALUE.test(v)) {
    throw new TypeError(`Headers.${operation}: "${v}" is an invalid header value.`);
  }
  return v;
}

/**
 * The WHATWG `Headers` contract (as undici implements it in Node 20) on a
 * plain Map, for the metadata of the gRPC core path: names are validated and
 * lower-cased, values trimmed and validated (TypeError otherwise), `append`
 * joins with `, ` (`; ` for `cookie`), `set-cookie` keeps each value
 * (getSetCookie) and iteration is sorted by name, `set-cookie` values one by
 * one. An undici Headers costs a few microseconds per call in a trivial
 * RPC's server (about 4% of its CPU, bench/rpc black box); this costs a Map.
 *
 * `LeanHeaders.fromHttp2(headers)` wraps a request's incoming header block
 * (lower-case names, pseudo-headers skipped): `get` and `has` read it in
 * place, and it is copied only when first changed or listed. A LeanHeaders
 * is accepted wherever a HeadersInit is (`new Headers(lean)` iterates it),
 * but it is not an `instanceof Headers`.
 */
export class LeanHeaders implements Headers {
  /** Made on first change or listing: most calls' trailers stay empty and their request headers are only read. */
  #map: Map<string, string> | undefined;
  #cookies: string[] | undefined;
  #source: http2.IncomingHttpHeaders | undefined;

  /** Headers of an incoming HTTP/2 request (Node's block: lower-case names, valid values); read in place until changed or listed. */
  static fromHttp2(headers: http2.IncomingHttpHeaders): LeanHeaders {
    const out = new LeanHeaders();
    out.#source = headers;
    return out;
  }

  #entries(): Map<string, string> {
    if (this.#map !== undefined) return this.#map;
    const map = (this.#map = new Map());
    const source = this.#source;
    if (source !== undefined) {
      this.#source = undefined;
      for (const key in source) {
        if (key.charCodeAt(0) === 58 /* ":" */) continue;
        const value = source[key];
        if (typeof value === "string") {
          this.append(key, value);
        } else if (Array.isArray(value)) {
          for (const v of value) this.append(key, v);
        }
      }
    }
    return map;
  }

  append(name: string, value: string): void {
    const key = headerName(name, "append");
    const v = headerValue(value, "append");
    const map = this.#entries();
    const existing = map.get(key);
    map.set(key, existing === undefined ? v : `${existing}${key === "cookie" ? "; " : ", "}${v}`);
    if (key === "set-cookie") (this.#cookies ??= []).push(v);
  }

  set(name: string, value: string): void {
    const key = headerName(name, "set");
    const v = headerValue(value, "set");
    this.#entries().set(key, v);
    if (key === "set-cookie") this.#cookies = [v];
  }

  delete(name: string): void {
    const key = headerName(name, "delete");
    this.#entries().delete(key);
    if (key === "set-cookie") this.#cookies = undefined;
  }

  get(name: string): string | null {
    const key = headerName(name, "get");
    const source = this.#source;
    if (source !== undefined) {
      // Unread so far: answered from the HTTP/2 block, as the copy would answer it.
      const value = source[key];
      if (typeof value === "string") return headerValue(value, "get");
      if (Array.isArray(value) && value.length > 0) return value.map((v) => headerValue(v, "get")).join(key === "cookie" ? "; " : ", ");
      return null;
    }
    return this.#map?.get(key) ?? null;
  }

  has(name: string): boolean {
    const key = headerName(name, "has");
    const source = this.#source;
    if (source !== undefined) {
      const value = source[key];
      return typeof value === "string" || (Array.isArray(value) && value.length > 0);
    }
    return this.#map?.has(key) ?? false;
  }

  getSetCookie(): string[] {
    this.#entries();
    return this.#cookies ? [...this.#cookies] : [];
  }

  /** The entries as undici lists them: sorted by name, each `set-cookie` value on its own. */
  #sorted(): [string, string][] {
    const map = this.#entries();
    const names = [...map.keys()];
    if (names.length > 1) names.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const out: [string, string][] = [];
    for (const name of names) {
      if (name === "set-cookie" && this.#cookies) {
        for (const cookie of this.#cookies) out.push([name, cookie]);
      } else {
        out.push([name, map.get(name)!]);
      }
    }
    return out;
  }

  forEach(callbackfn: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    if (this.#map === undefined && this.#source === undefined) return;
    const map = this.#entries();
    if (map.size === 0) return;
    if (map.size === 1 && this.#cookies === undefined) {
      for (const [key, value] of map) callbackfn.call(thisArg, value, key, this);
      return;
    }
    for (const [key, value] of this.#sorted()) callbackfn.call(thisArg, value, key, this);
  }

  entries(): ArrayIterator<[string, string]> {
    return this.#sorted()[Symbol.iterator]();
  }

  keys(): ArrayIterator<string> {
    return this.#sorted()
      .map(([key]) => key)
      [Symbol.iterator]();
  }

  values(): ArrayIterator<string> {
    return this.#sorted()
      .map(([, value]) => value)
      [Symbol.iterator]();
  }

  [Symbol.iterator](): ArrayIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}
