import { isIPv4, isIPv6 } from "node:net";

/**
 * True when `host` only accepts connections from this machine: `localhost`,
 * 127.0.0.0/8, `::1` (bracketed or not) and IPv4-mapped loopback
 * (`::ffff:127.0.0.1`). Wildcards (`0.0.0.0`, `::`) and every other name are
 * not loopback, because they may be reachable from the network; a server that
 * listens there must require an API key.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) {
    h = h.slice(1, -1);
  }
  if (h === "localhost" || h === "localhost.") {
    return true;
  }
  if (isIPv4(h)) {
    return h.startsWith("127.");
  }
  if (isIPv6(h)) {
    if (h.startsWith("::ffff:")) {
      const v4 = h.slice("::ffff:".length);
      return isIPv4(v4) && v4.startsWith("127.");
    }
    return /^(0{0,4}:){1,7}0{0,3}1$/.test(h) || h === "::1";
  }
  return false;
}
