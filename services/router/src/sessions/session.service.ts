import type { RouterConfig } from "@orchestrator/config";
import type { Database } from "@orchestrator/db";
import { AlreadyExistsError, InstanceDownError, InvalidArgumentError, NoHealthyInstanceError, NotFoundError, UnknownSessionError } from "@orchestrator/errors";
import { resolveSelectors } from "@orchestrator/selector";
import type { Balancer, InstanceView, RoutableInstance, TargetPicker } from "@orchestrator/routing";
import type { Kysely } from "kysely";
import { randomUUID } from "node:crypto";
import type { SessionEntryRecord, SessionRecord } from "./session-record.js";
import { hashSessionToken, newSessionToken } from "./session-token.js";
import {
  closeSession,
  countOpenByInstance,
  expireIfIdle,
  findSession,
  findSessionIdByToken,
  insertSession,
  listEntries,
  listSessions,
} from "./session.repository.js";

/** A SpawnSession request, as the service takes it. */
export interface SpawnInput {
  /** "" for a generated id. */
  readonly sessionId: string;
  readonly instances: readonly string[];
  /** "" for none. */
  readonly pool: string;
  readonly ttlMs?: number;
  readonly metadata: Readonly<Record<string, string>>;
}

/** A session reference: by id, or by the token SpawnSession returned. */
export interface SessionRef {
  readonly sessionId: string;
  readonly token: string;
}

/** What the session RPCs other than SendSession need. */
export interface SessionServiceDependencies {
  readonly db: Kysely<Database>;
  readonly view: InstanceView;
  readonly picker: TargetPicker;
  readonly balancer: Balancer;
  readonly config: RouterConfig;
  readonly syncTimeoutMs: number;
}

/** Default page size of ListSessions. */
const DEFAULT_PAGE = 100;

/**
 * Spawn, get, list and close sessions (SendSession is SessionSender).
 * Spawning pins the session to the healthy instance of the selection (or
 * pool) with the fewest open sessions, round robin among equals.
 */
export class SessionService {
  constructor(private readonly deps: SessionServiceDependencies) {}

  async spawn(input: SpawnInput): Promise<{ session: SessionRecord; token: string }> {
    const { db, view, config } = this.deps;
    if (!view.ready) await view.whenReady(this.deps.syncTimeoutMs);
    const instance = await this.choose(input);
    const token = newSessionToken();
    const id = input.sessionId || `s-${randomUUID()}`;
    const session = await db.transaction().execute((tx) =>
      insertSession(tx, {
        id,
        tokenHash: hashSessionToken(token),
        instance: instance.name,
        pool: input.pool || instance.pool,
        selectors: input.instances,
        metadata: input.metadata,
        ttlMs: input.ttlMs ?? config.sessionTtlMs,
      }),
    );
    if (!session) throw new AlreadyExistsError("session", id, "session_id");
    return { session, token };
  }

  /** The session's id from a reference; NOT_FOUND for an unknown token. */
  async resolveId(ref: SessionRef): Promise<string> {
    if (ref.sessionId) return ref.sessionId;
    const id = await findSessionIdByToken(this.deps.db, hashSessionToken(ref.token));
    if (!id) throw new UnknownSessionError("", "token");
    return id;
  }

  /** A session (expired first if idle past its ttl), with its last `historyLimit` entries. */
  async get(id: string, historyLimit: number): Promise<{ session: SessionRecord; history: SessionEntryRecord[] }> {
    const { db } = this.deps;
    await expireIfIdle(db, id);
    const session = await findSession(db, id);
    if (!session) throw new UnknownSessionError(id);
    return { session, history: await listEntries(db, id, historyLimit) };
  }

  async list(filter: { instance: string; pool: string; includeClosed: boolean; limit: number; pageToken: string }): Promise<{ sessions: SessionRecord[]; nextPageToken: string }> {
    const limit = filter.limit || DEFAULT_PAGE;
    const sessions = await listSessions(this.deps.db, {
      ...(filter.instance ? { instance: filter.instance } : {}),
      ...(filter.pool ? { pool: filter.pool } : {}),
      includeClosed: filter.includeClosed,
      limit: limit + 1,
      ...(filter.pageToken ? { afterId: decodePageToken(filter.pageToken) } : {}),
    });
    const more = sessions.length > limit;
    const page = more ? sessions.slice(0, limit) : sessions;
    return { sessions: page, nextPageToken: more ? encodePageToken(page.at(-1)!.id) : "" };
  }

  /** Closes an open session; a closed or expired one is returned as it is. */
  async close(id: string): Promise<SessionRecord> {
    const closed = await closeSession(this.deps.db, id);
    if (closed) return closed;
    const current = await findSession(this.deps.db, id);
    if (!current) throw new UnknownSessionError(id);
    return current;
  }

  private async choose(input: SpawnInput): Promise<RoutableInstance> {
    const { view, picker, balancer, db } = this.deps;
    let candidates: RoutableInstance[];
    let described: string[];
    if (input.instances.length > 0) {
      candidates = resolveSelectors(input.instances, view.list(), { field: "instances" });
      described = [...input.instances];
      if (input.pool) {
        candidates = candidates.filter((i) => i.pool === input.pool);
        if (candidates.length === 0) throw new InvalidArgumentError("pool", `no selected instance is in pool "${input.pool}"`);
      }
    } else if (input.pool) {
      candidates = view.list().filter((i) => i.pool === input.pool);
      if (candidates.length === 0) throw new NotFoundError("pool", input.pool);
      described = [`@pool:${input.pool}`];
    } else {
      candidates = [...view.list()];
      described = ["@all"];
    }
    const routable = candidates.filter((i) => picker.routable(i));
    const healthy = routable.filter((i) => i.health === "healthy");
    const tier = healthy.length > 0 ? healthy : routable;
    if (tier.length === 0) {
      if (candidates.length === 1) throw new InstanceDownError(candidates[0]!.name, { condition: picker.condition(candidates[0]!.name) });
      throw new NoHealthyInstanceError(described);
    }
    const counts = await countOpenByInstance(db, tier.map((i) => i.name));
    const fewest = Math.min(...tier.map((i) => counts.get(i.name) ?? 0));
    return balancer.pick(tier.filter((i) => (counts.get(i.name) ?? 0) === fewest))!;
  }
}

function encodePageToken(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId })).toString("base64url");
}

function decodePageToken(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as { after?: unknown };
    if (typeof parsed.after === "string") return parsed.after;
  } catch {
    // fall through
  }
  throw new InvalidArgumentError("page_token", "is not a token from a previous ListSessions page");
}
