import { create } from "@bufbuild/protobuf";
import type { ServiceImpl } from "@connectrpc/connect";
import {
  CheckResponseSchema,
  InboxResponseSchema,
  MailboxService,
  MarkReadResponseSchema,
  PurgeResponseSchema,
  ReplyResponseSchema,
  SendResponseSchema,
  SubscribeResponseSchema,
  type SubscribeResponse,
} from "@orchestrator/contracts";
import type { Mailbox } from "../messages/mailbox.service.js";
import { callerOf } from "@orchestrator/rpc";
import { messageToProto } from "./message-to-proto.js";
import { waitBudget } from "./wait-budget.js";

/**
 * orchestrator.mailbox.v1.MailboxService: maps wire messages to the Mailbox
 * and back. Rules declared in the proto are already enforced by the
 * validation interceptor; domain errors are mapped at the edge.
 */
export function createMailboxServiceHandler(mailbox: Mailbox): ServiceImpl<typeof MailboxService> {
  return {
    async send(req, ctx) {
      const { threadId, messages } = await mailbox.send({ ...req, from: req.from || callerOf(ctx) });
      return create(SendResponseSchema, { threadId, messages: messages.map(messageToProto) });
    },

    async check(req, ctx) {
      const wait = req.wait ? { timeoutMs: waitBudget(req.timeoutMs, ctx.timeoutMs()), signal: ctx.signal } : undefined;
      const result = await mailbox.check({
        handle: req.handle,
        unreadOnly: req.unreadOnly,
        types: req.types,
        limit: req.limit,
        markRead: req.markRead,
        ...(wait ? { wait } : {}),
      });
      return create(CheckResponseSchema, { messages: result.messages.map(messageToProto), timedOut: result.timedOut });
    },

    async reply(req) {
      return create(ReplyResponseSchema, { message: messageToProto(await mailbox.reply(req)) });
    },

    async inbox(req) {
      const page = await mailbox.inbox(req.handle, req.limit, req.pageToken, req.unreadOnly);
      return create(InboxResponseSchema, {
        messages: page.messages.map(messageToProto),
        nextPageToken: page.nextPageToken,
        unreadCount: BigInt(page.unreadCount),
      });
    },

    async *subscribe(req, ctx): AsyncGenerator<SubscribeResponse> {
      const after = req.afterSeq === undefined ? undefined : req.afterSeq.toString();
      for await (const message of mailbox.subscribe(req.handle, after, req.types, ctx.signal)) {
        yield create(SubscribeResponseSchema, { message: messageToProto(message) });
      }
    },

    async markRead(req) {
      return create(MarkReadResponseSchema, { marked: BigInt(await mailbox.markRead(req.ids, req.handle)) });
    },

    async purge(req) {
      return create(PurgeResponseSchema, { deleted: BigInt(await mailbox.purge(req.handle, req.all)) });
    },
  };
}
