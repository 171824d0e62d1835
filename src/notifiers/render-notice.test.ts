import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { discordPayload } from "./discord/discord-notifier.js";
import { renderEmail } from "./email/render-email.js";
import { sampleMessage } from "./notifier-test-kit.test.js";
import { ntfyPayload } from "./ntfy/ntfy-notifier.js";
import { noticeLink, renderNoticeText } from "./render-notice.js";
import { renderSlackMessage } from "./slack/slack-blocks.js";
import { teamsPayload } from "./teams/teams-notifier.js";
import { webhookPayload } from "./webhook/webhook-notifier.js";

// A cover request as a schedule.notice job builds it (app/schedules/schedule-notices.ts): the
// incident fields are filler.
const coverRequest = sampleMessage({
  incidentId: "schedule:sch_1",
  incidentNumber: 0,
  event: "notice",
  title: "Alice asks you to cover Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00",
  state: "triggered",
  level: "notify",
  serviceName: "Platform primary",
  recipientName: "Bob",
  incidentUrl: "https://firebreak.example.net/schedules/sch_1",
  acknowledgeUrl: null,
  resolveUrl: null,
  details: [
    { label: "Schedule", value: "Platform primary" },
    { label: "Cover", value: "Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00 (Europe/Berlin)" },
  ],
  links: [],
});

// A task assigned in a war room: a notice about INC-42, as app/response/response-notices.ts builds it.
const taskNotice = sampleMessage({
  event: "notice",
  title: 'INC-42: task "Roll back": assigned to you',
  recipientName: "Bob",
  incidentUrl: "https://firebreak.example.net/incidents/42",
  acknowledgeUrl: null,
  resolveUrl: null,
  details: [],
  links: [],
});

const testMessage = sampleMessage({
  incidentId: "test",
  incidentNumber: 0,
  event: "test",
  title: "Test notification from Firebreak",
  level: "notify",
  serviceName: "Firebreak",
  recipientName: "Bob",
  incidentUrl: "https://firebreak.example.net",
  acknowledgeUrl: null,
  resolveUrl: null,
  details: [{ label: "Sent by", value: "Ada" }],
  links: [],
});

/** What every channel renders, as one string to search. */
const renderedByEveryChannel = (m: IncidentMessage): Record<string, string> => {
  const email = renderEmail(m, "k:1");
  return {
    email: JSON.stringify([email.subject, email.text, email.html, email.headers]),
    slack: JSON.stringify([
      renderSlackMessage(m, { interactive: true }),
      renderSlackMessage(m, { interactive: false }),
    ]),
    teams: JSON.stringify(teamsPayload(m)),
    discord: JSON.stringify(discordPayload(m)),
    ntfy: JSON.stringify(ntfyPayload(m, "topic")),
    webhook: JSON.stringify(webhookPayload(m, "k:1")),
  };
};

// The incident template's words: a notice carrying any of them reads as a page.
const INCIDENT_WORDS = [/Triggered/i, /\bState\b/, /\bLevel\b/, /Service:/, /\bOpened\b/, /ON-CALL/];

describe("notices render as notices in every channel", () => {
  for (const [name, message, link] of [
    ["a cover request", coverRequest, "Open schedule"],
    ["a task notice", taskNotice, "Open incident"],
    ["a test notification", testMessage, "Open Firebreak"],
  ] as const) {
    for (const [channel, text] of Object.entries(renderedByEveryChannel(message))) {
      it(`${name} by ${channel}: no incident fields, a link named "${link}"`, () => {
        for (const word of INCIDENT_WORDS) assert.doesNotMatch(text, word, `${channel} says ${word}`);
        assert.ok(text.includes(link), `${channel} names the link "${link}"`);
        assert.ok(!/Acknowledge|Resolve/.test(text), "no buttons that act on an incident");
      });
    }
  }

  it("email: a plain subject, and the test's fixed one", () => {
    assert.equal(
      renderEmail(coverRequest, "k").subject,
      "[Firebreak] Alice asks you to cover Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00",
    );
    assert.equal(
      renderEmail(taskNotice, "k").subject,
      '[Firebreak] INC-42: task "Roll back": assigned to you',
    );
    assert.equal(renderEmail(testMessage, "k").subject, "Firebreak test notification");
    assert.equal(renderEmail(coverRequest, "k").headers["X-Incident-Id"], undefined, "about no incident");
    assert.equal(renderEmail(taskNotice, "k").headers["X-Incident-Id"], "inc_01HZX4");
  });

  it("plain text: headline, who, details, then the link", () => {
    assert.equal(
      renderNoticeText(coverRequest),
      [
        "Alice asks you to cover Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00",
        "For: Bob",
        "",
        "Schedule: Platform primary",
        "Cover: Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00 (Europe/Berlin)",
        "",
        "Open schedule: https://firebreak.example.net/schedules/sch_1",
      ].join("\n"),
    );
    assert.equal(
      renderNoticeText(testMessage, { includeTitle: false }),
      [
        "If you can read this, Firebreak can reach you here.",
        "For: Bob",
        "",
        "Sent by: Ada",
        "",
        "Open Firebreak: https://firebreak.example.net/",
      ].join("\n"),
    );
  });

  it("webhook: type and event are never an incident event, and no incident state anywhere", () => {
    const body = JSON.parse(JSON.stringify(webhookPayload(coverRequest, "k:1"))) as Record<string, unknown>;
    assert.deepEqual(body, {
      version: 1,
      type: "notice",
      idempotencyKey: "k:1",
      event: "notice",
      notice: {
        title: "Alice asks you to cover Mon 23 Nov 2026, 09:00 – Tue 24 Nov 2026, 09:00",
        recipientName: "Bob",
        url: "https://firebreak.example.net/schedules/sch_1",
        linkText: "Open schedule",
        incident: null,
        details: coverRequest.details,
        links: [],
      },
    });
    const task = webhookPayload(taskNotice, "k:2");
    assert.ok(task.type === "notice" && !("incident" in task));
    assert.deepEqual(task.notice.incident, { id: "inc_01HZX4", number: 42 });
    const test = webhookPayload(testMessage, "k:3");
    assert.deepEqual([test.type, test.event], ["test", "test"]);
    for (const m of [coverRequest, taskNotice, testMessage])
      assert.doesNotMatch(JSON.stringify(webhookPayload(m, "k")), /"state"|"level"|"triggered"/);
  });

  it("names the link for what it opens, and drops one that is not http(s)", () => {
    assert.equal(noticeLink(coverRequest)?.label, "Open schedule");
    assert.equal(noticeLink(taskNotice)?.label, "Open incident");
    assert.equal(noticeLink(testMessage)?.label, "Open Firebreak");
    assert.equal(noticeLink({ ...coverRequest, incidentUrl: "javascript:alert(1)" }), null);
  });

  it("ntfy: a notice never wakes a phone, and a tap opens what it is about", () => {
    const payload = ntfyPayload(coverRequest, "t") as { priority: number; click: string; tags: string[] };
    assert.deepEqual(
      [payload.priority, payload.click, payload.tags],
      [3, "https://firebreak.example.net/schedules/sch_1", ["calendar"]],
    );
  });
});

describe("incident messages keep the incident template", () => {
  for (const [channel, text] of Object.entries(renderedByEveryChannel(sampleMessage()))) {
    it(`by ${channel}`, () => {
      assert.match(text, /INC-42|"incidentNumber":42/);
      assert.match(text, /Triggered|triggered/);
    });
  }

  it("email subject and webhook shape are as before", () => {
    assert.equal(
      renderEmail(sampleMessage(), "k").subject,
      "[FIREBREAK INC-42] Checkout p99 latency above 2s — Triggered",
    );
    const body = webhookPayload(sampleMessage(), "k");
    assert.ok(body.type === "incident");
    assert.deepEqual(
      [body.event, body.incident.state, body.incident.openedAt],
      ["triggered", "triggered", "2025-03-02T09:25:11.000Z"],
    );
  });
});
