import { createConnection, createServer, type Socket } from "node:net";

/** A local stand-in for a Kubernetes Service; see `startServiceProxy`. */
export interface ServiceProxy {
  /** 127.0.0.1:port clients dial, as they would dial the Service's DNS name. */
  readonly address: string;
  close(): Promise<void>;
}

/**
 * Forwards each TCP connection to one of `endpoints()` (the ready replicas),
 * round-robin, as kube-proxy does for a ClusterIP Service: balancing is per
 * connection, and a replica that refuses the connection is skipped for the
 * next. When the replica dies, its connections drop and clients reconnect
 * through the proxy to one that lives.
 */
export async function startServiceProxy(endpoints: () => readonly string[]): Promise<ServiceProxy> {
  let next = 0;
  const sockets = new Set<Socket>();
  const track = (s: Socket) => {
    sockets.add(s);
    s.once("close", () => sockets.delete(s));
  };
  const server = createServer((client) => {
    track(client);
    client.pause();
    const candidates = [...endpoints()];
    const start = next++;
    const attempt = (i: number) => {
      if (client.destroyed) return;
      if (i >= candidates.length) {
        client.destroy();
        return;
      }
      const [host, port] = candidates[(start + i) % candidates.length]!.split(":");
      const upstream = createConnection({ host: host!, port: Number(port) });
      track(upstream);
      let connected = false;
      upstream.on("error", () => {
        if (connected) client.destroy();
        else attempt(i + 1);
      });
      upstream.once("connect", () => {
        connected = true;
        client.on("error", () => upstream.destroy());
        client.pipe(upstream).pipe(client);
        client.once("close", () => upstream.destroy());
        upstream.once("close", () => client.destroy());
        client.resume();
      });
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
