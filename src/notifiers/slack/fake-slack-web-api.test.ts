/**
 * A fake Slack Web API on 127.0.0.1 for the incident channel's tests (no tests of its own): it keeps
 * channels and messages, answers the methods the adapter calls as Slack documents them, and can lose
 * an answer after doing the work (a reset mid-answer) or never answer at all.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** The bot user id auth.test names, and the creator of every channel the fake's conversations.create makes. */
export const BOT_USER_ID = "U0FIREBOT";
export const SOMEONE_ELSE = "U0SOMEONE";

export interface SlackCall {
  readonly method: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
  /** The JSON body, or the form fields of a form-encoded one. */
  readonly body: Record<string, unknown>;
  readonly form: boolean;
}
export interface Answer {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  /** A JSON answer, or raw text (not JSON). */
  readonly body: Record<string, unknown> | string;
}
export type Answerer = (call: SlackCall) => Answer;

export interface FakeMessage {
  readonly ts: string;
  readonly text: string;
  readonly threadTs: string | null;
  readonly metadata: unknown;
}
export interface FakeChannel {
  readonly id: string;
  readonly name: string;
  readonly creator: string;
  readonly archived: boolean;
  /** Whether the bot is in it (users.conversations lists only those). */
  readonly botIsMember: boolean;
  readonly messages: FakeMessage[];
}

// Slack ignores a JSON body's arguments on these; the fake refuses one so that a regression shows.
const FORM_ONLY = new Set(["users.conversations", "conversations.history", "conversations.replies"]);

/** Answers conversations.create as Slack does: names that break its rule are refused, taken ones too. */
function createRefusal(name: string, taken: boolean): string | null {
  if (name === "") return "invalid_name_required";
  if (name.length > 80) return "invalid_name_maxlength";
  if (/[^a-z0-9_-]/.test(name)) return "invalid_name_specials";
  if (!/[a-z0-9]/.test(name)) return "invalid_name_punctuation";
  return taken ? "name_taken" : null;
}

/** A page of `items` from a `cursor` the fake made earlier ("" = the first page). */
function page<T>(items: readonly T[], cursor: unknown, limit: number) {
  const from = typeof cursor === "string" && cursor !== "" ? Number(cursor.replace(/^next:/, "")) : 0;
  const slice = items.slice(from, from + limit);
  const next = from + limit < items.length ? `next:${from + limit}` : "";
  return { slice, next };
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  /** Names of channels somebody else made that the bot is not in (conversations.create: name_taken). */
  readonly takenNames = new Set<string>();
  readonly channels = new Map<string, FakeChannel>();
  /** The most a list page holds whatever the caller asks (tests make paging visible with it). */
  pageSize = 1_000;
  private readonly queued = new Map<string, Answerer[]>();
  private readonly losing = new Map<string, number>();
  private readonly hanging = new Set<string>();
  private readonly held: ServerResponse[] = [];
  private ts = 1_740_000_000;
  private channelCount = 0;
  private server: Server | undefined;
  baseUrl = "";

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const rawBody = Buffer.concat(chunks).toString("utf8");
        const method = (req.url ?? "").replace(/^\/api\//, "");
        const form = String(req.headers["content-type"]).startsWith("application/x-www-form-urlencoded");
        const call = { method, headers: req.headers, rawBody, body: parseBody(rawBody, form), form };
        this.calls.push(call);
        if (this.hanging.delete(method)) {
          this.held.push(res);
          return;
        }
        const answer = this.queued.get(method)?.shift()?.(call) ?? this.defaultAnswer(call);
        const text = typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body);
        const headers = { "content-type": "application/json", ...answer.headers };
        const lose = this.losing.get(method) ?? 0;
        const didWork = typeof answer.body === "object" && answer.body.ok === true;
        if (lose > 0 && didWork) {
          this.losing.set(method, lose - 1);
          // The work is done; the answer breaks off after its first byte (no resend by the client).
          res.writeHead(answer.status ?? 200, {
            ...headers,
            "content-length": String(Buffer.byteLength(text)),
          });
          res.write(text.slice(0, 1), () => res.socket?.destroy());
          return;
        }
        res.writeHead(answer.status ?? 200, headers).end(text);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/api`;
  }

  /** A channel made by someone (or the bot) outside the adapter. */
  addChannel(channel: Partial<FakeChannel> & { name: string }): FakeChannel {
    const made: FakeChannel = {
      id: `C0OTHER${String(++this.channelCount).padStart(3, "0")}`,
      creator: SOMEONE_ELSE,
      archived: false,
      botIsMember: true,
      messages: [],
      ...channel,
    };
    this.channels.set(made.id, made);
    return made;
  }

  /** Messages posted to a channel (top level and replies), oldest first. */
  messagesIn(channelId: string): FakeMessage[] {
    return this.channels.get(channelId)?.messages ?? [];
  }

  /** Posts a message as if by the bot, e.g. an earlier attempt's. */
  postAs(channelId: string, text: string, metadata?: unknown, threadTs: string | null = null): string {
    const ts = `${++this.ts}.000100`;
    this.channelFor(channelId).messages.push({ ts, text, threadTs, metadata });
    return ts;
  }

  private channelFor(id: string): FakeChannel {
    const known = this.channels.get(id);
    if (known) return known;
    return this.addChannel({ id, name: id.toLowerCase(), creator: BOT_USER_ID });
  }

  private defaultAnswer(call: SlackCall): Answer {
    const b = call.body;
    if (FORM_ONLY.has(call.method) && !call.form) return { body: { ok: false, error: "invalid_arguments" } };
    switch (call.method) {
      case "conversations.create": {
        const name = typeof b.name === "string" ? b.name : "";
        const taken = this.takenNames.has(name) || [...this.channels.values()].some((c) => c.name === name);
        const refusal = createRefusal(name, taken);
        if (refusal !== null) return { body: { ok: false, error: refusal } };
        const id = `C0INC${String(++this.channelCount).padStart(4, "0")}`;
        this.channels.set(id, {
          id,
          name,
          creator: BOT_USER_ID,
          archived: false,
          botIsMember: true,
          messages: [],
        });
        return { body: { ok: true, channel: { id, name, creator: BOT_USER_ID, is_archived: false } } };
      }
      case "chat.postMessage": {
        const channel = String(b.channel);
        const threadTs = typeof b.thread_ts === "string" ? b.thread_ts : null;
        const ts = this.postAs(channel, String(b.text), b.metadata, threadTs);
        return { body: { ok: true, channel, ts } };
      }
      case "conversations.invite":
        return { body: { ok: true, channel: { id: b.channel } } };
      case "auth.test":
        return { body: { ok: true, user: "firebreak", user_id: BOT_USER_ID, bot_id: "B0FIREBOT" } };
      case "users.conversations": {
        const mine = [...this.channels.values()].filter(
          (c) => c.botIsMember && !(b.exclude_archived === "true" && c.archived),
        );
        const { slice, next } = page(mine, b.cursor, Math.min(Number(b.limit ?? 100), this.pageSize));
        const channels = slice.map((c) => ({
          id: c.id,
          name: c.name,
          creator: c.creator,
          is_archived: c.archived,
        }));
        return { body: { ok: true, channels, response_metadata: { next_cursor: next } } };
      }
      case "conversations.history":
      case "conversations.replies": {
        const channel = this.channels.get(String(b.channel));
        if (!channel) return { body: { ok: false, error: "channel_not_found" } };
        const oldest = Number(b.oldest ?? 0);
        const inThread = (m: FakeMessage) => m.ts === b.ts || m.threadTs === b.ts;
        const picked = channel.messages.filter((m) =>
          call.method === "conversations.history" ? m.threadTs === null : inThread(m),
        );
        // history: newest first; replies: the parent, then its replies, oldest first.
        const ordered = (call.method === "conversations.history" ? [...picked].reverse() : picked).filter(
          (m) => Number(m.ts) > oldest,
        );
        const { slice, next } = page(ordered, b.cursor, Math.min(Number(b.limit ?? 100), this.pageSize));
        const messages = slice.map((m) => ({
          type: "message",
          user: BOT_USER_ID,
          ts: m.ts,
          text: m.text,
          ...(m.threadTs !== null && { thread_ts: m.threadTs }),
          ...(b.include_all_metadata === "true" && m.metadata !== undefined && { metadata: m.metadata }),
        }));
        return {
          body: { ok: true, messages, has_more: next !== "", response_metadata: { next_cursor: next } },
        };
      }
      default:
        return { body: { ok: false, error: "unknown_method" } };
    }
  }

  answerNext(method: string, ...answers: Array<Answer | Answerer>): void {
    const list = this.queued.get(method) ?? [];
    for (const a of answers) list.push(typeof a === "function" ? a : () => a);
    this.queued.set(method, list);
  }

  /** The next `count` calls of `method` that succeed do their work, then the connection breaks mid-answer. */
  loseNextAnswer(method: string, count = 1): void {
    this.losing.set(method, (this.losing.get(method) ?? 0) + count);
  }

  /** The next call of `method` is never answered. */
  hangNext(method: string): void {
    this.hanging.add(method);
  }

  callsOf(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  reset(): void {
    this.calls.length = 0;
    this.queued.clear();
    this.losing.clear();
    this.hanging.clear();
    this.takenNames.clear();
    this.channels.clear();
    this.channelCount = 0;
    this.pageSize = 1_000;
  }

  close(): Promise<void> {
    for (const res of this.held.splice(0)) res.destroy();
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

function parseBody(rawBody: string, form: boolean): Record<string, unknown> {
  if (form) return Object.fromEntries(new URLSearchParams(rawBody));
  try {
    const parsed: unknown = JSON.parse(rawBody || "{}");
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
