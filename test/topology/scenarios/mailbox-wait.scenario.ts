import { MailboxService } from "@orchestrator/contracts";
import { createServiceClient } from "@orchestrator/rpc";
import { expect } from "vitest";
import type { FleetScenario } from "../fleet-scenario.js";
import type { Fleet } from "../start-fleet.js";

/**
 * A mailbox wait across replicas: a `Check` with `wait` held by one replica
 * is woken by a `Send` through another (LISTEN/NOTIFY between processes),
 * returns exactly the message sent, and marks it read, so no second Check
 * gets it again. After the kills, the surviving replica does the same with
 * the send going through the Service.
 */
export function mailboxWaitScenario(): FleetScenario {
  return {
    name: "mailbox: a waiting Check on one replica is woken by a Send on another",
    requires: ["mailbox"],
    async drive(fleet, phase) {
      const replicas = fleet.replicas("mailbox");
      const waiter = client(fleet, replicas[0]!.address);
      const sender = client(fleet, replicas.length > 1 ? replicas[1]!.address : fleet.address("mailbox"));
      const handle = phase === "all replicas" ? "fleet-agent-1" : "fleet-agent-2";
      const waiting = waiter.check({ handle, wait: true, types: ["worker_done"], unreadOnly: true, markRead: true, timeoutMs: 20_000 });
      // Give the Check time to start waiting; if it has not, it finds the message at once: either order must deliver it once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sent = await sender.send({ to: handle, from: "fleet-lead", type: "worker_done", subject: `done (${phase})`, payload: JSON.stringify({ task: "t1" }) });
      const got = await waiting;
      expect(got.timedOut).toBe(false);
      expect(got.messages.map((m) => m.id)).toEqual(sent.messages.map((m) => m.id));
      expect(got.messages[0]).toMatchObject({ from: "fleet-lead", to: handle, type: "worker_done", threadId: sent.threadId });
      const again = await client(fleet, fleet.address("mailbox")).check({ handle, unreadOnly: true, types: ["worker_done"] });
      expect(again.messages).toEqual([]);
    },
  };
}

function client(fleet: Fleet, address: string) {
  return createServiceClient(MailboxService, { address, apiKey: fleet.apiKey, timeoutMs: 30_000 });
}
