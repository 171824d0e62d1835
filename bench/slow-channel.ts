// `npm run bench -- slow-channel`: how long a page takes while the service's shared channel answers
// slowly. Every alert pages one person (a webhook contact method to a fast receiver) and posts to
// the shared channel (a webhook that answers after 8 s, so its circuit breaker never opens).
// Each channel post holds an engine slot for 8 s; the page must not wait behind them.
import { createServer, type Server } from "node:http";
import { createEscalationPolicy } from "../src/app/escalation/manage-policies.js";
import { createChannel } from "../src/app/channels/manage-channels.js";
import { addContactMethod, setNotificationRules } from "../src/app/contact/manage-contact-methods.js";
import { createUser } from "../src/app/users/create-user.js";
import { postgresUnavailable } from "../test/support/dialects.js";
import { startFirebreak } from "./alerts-bench.js";
import { latencies, paced } from "./support/load.js";
import { NotificationReceiver } from "./support/receiver.js";

const CHANNEL_ANSWER_MS = 8_000;
const ALERTS_PER_SECOND = 100;
const SECONDS = 3;

/** A chat webhook that takes its time: counts the posts it got, answers each after `answerMs`. */
async function slowReceiver(answerMs: number): Promise<{ server: Server; url: string; posts: () => number }> {
  let posts = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      posts++;
      setTimeout(() => res.end("ok"), answerMs).unref();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}/chat`, posts: () => posts };
}

async function measure(store: "sqlite" | "postgres"): Promise<string> {
  const pager = new NotificationReceiver();
  await pager.start();
  const chat = await slowReceiver(CHANNEL_ANSWER_MS);
  const target = await startFirebreak(pager, store, {
    prepare: async (deps, caller) => {
      const channel = await createChannel(deps, caller, {
        name: "slow chat",
        kind: "webhook",
        config: { url: chat.url },
      });
      const user = await createUser(deps, caller, {
        email: "oncall@example.com",
        name: "On Call",
        role: "responder",
        password: "bench password 123",
      });
      const phone = await addContactMethod(deps, caller, {
        userId: user.id,
        kind: "webhook",
        label: "phone",
        config: { url: pager.url("/page") },
      });
      await setNotificationRules(deps, caller, user.id, [{ contactMethodId: phone.id, delayMinutes: 0 }]);
      const policy = await createEscalationPolicy(deps, caller, {
        name: "on call",
        repeatCount: 0,
        steps: [{ delayMinutes: 30, targets: [{ kind: "user", userId: user.id }] }],
      });
      return { channelId: channel.id, escalationPolicyId: policy.id };
    },
  });
  try {
    const sent = await paced(target.alertsUrl, `slow${Date.now().toString(36)}`, ALERTS_PER_SECOND, SECONDS);
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && [...sent.keys()].some((id) => !pager.arrivals.has(id)))
      await new Promise((r) => setTimeout(r, 50));
    const pages = latencies(sent, pager.arrivals);
    const ms = (n: number) => Math.round(n).toLocaleString("en-US");
    return `| ${target.name} | ${sent.size} | ${ms(pages.p50)} | ${ms(pages.p99)} | ${pages.missing} | ${chat.posts()} |`;
  } finally {
    await target.stop();
    await pager.stop();
    chat.server.closeAllConnections();
    chat.server.close();
  }
}

export async function slowChannelBenchMarkdown(): Promise<string[]> {
  const rows = [await measure("sqlite")];
  const pgMissing = await postgresUnavailable();
  rows.push(pgMissing ? `| PostgreSQL: not measured (${pgMissing}) |` : await measure("postgres"));
  return [
    `Pages while the shared channel answers in ${CHANNEL_ANSWER_MS / 1000} s: ${ALERTS_PER_SECOND} alerts/s for ${SECONDS} s, each paging one person:`,
    "",
    "| Target | alerts | page p50 (ms) | page p99 (ms) | pages missing | channel posts received by then |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
  ];
}
