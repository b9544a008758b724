import { useEffect, useState } from "react";

/** The route in the location hash (`#/runs/r-1` → ["runs", "r-1"]); links stay shareable and need no server routes. */
export function useHashRoute(): string[] {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener("hashchange", on);
    return () => removeEventListener("hashchange", on);
  }, []);
  return hash.replace(/^#\/?/, "").split("/").filter(Boolean).map(decodeURIComponent);
}

/** Goes to a route (`navigate("runs", id)`). */
export function navigate(...parts: string[]): void {
  location.hash = "/" + parts.map(encodeURIComponent).join("/");
}
