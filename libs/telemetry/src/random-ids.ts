import { randomFillSync } from "node:crypto";

/** Random bytes drawn per refill, as hex: a refill serves about 170 spans (a 32-char trace id and a 16-char span id each). */
const POOL_BYTES = 4096;

let pool = "";
let offset = 0;

/** The next `chars` hex characters of a pool of random bytes (one randomFillSync and one hex encoding per POOL_BYTES). */
function take(chars: number): string {
  if (offset + chars > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES)).toString("hex");
    offset = 0;
  }
  const id = pool.slice(offset, offset + chars);
  offset += chars;
  return id;
}

const ZERO_TRACE_ID = "0".repeat(32);
const ZERO_SPAN_ID = "0".repeat(16);

/**
 * A random W3C trace id: 32 lower-case hex characters, never all zeros (the
 * last byte is then 01, as OpenTelemetry's RandomIdGenerator does). Cut from
 * a pool of crypto-random bytes: generating each id on its own (a Buffer
 * write per 4 bytes and a hex encoding per id) was about 3% of a trivial
 * RPC's server CPU (bench/rpc, black box).
 */
export function randomTraceId(): string {
  const id = take(32);
  return id === ZERO_TRACE_ID ? `${ZERO_TRACE_ID.slice(2)}01` : id;
}

/** A random W3C span id: 16 lower-case hex characters, never all zeros; see randomTraceId. */
export function randomSpanId(): string {
  const id = take(16);
  return id === ZERO_SPAN_ID ? `${ZERO_SPAN_ID.slice(2)}01` : id;
}
