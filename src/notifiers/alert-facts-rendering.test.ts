// The first alert's severity, labels and details in every channel: shown, escaped for the channel,
// and bounded however much the alert carried (a 1 MB detail, hundreds of rows).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { alertFacts } from "../app/notifications/alert-facts.js";
import type { Alert } from "../core/alerts/records.js";
import type { IncidentMessage } from "../core/notifications/incident-message.js";
import { DISCORD_LIMITS, discordPayload } from "./discord/discord-notifier.js";
import { emailSubject, renderEmail } from "./email/render-email.js";
import { sampleMessage } from "./notifier-test-kit.test.js";
import { NTFY_MAX_MESSAGE_BYTES, ntfyPayload } from "./ntfy/ntfy-notifier.js";
import { renderSlackMessage, SLACK_LIMITS } from "./slack/slack-blocks.js";
import { TEAMS_MAX_PAYLOAD_BYTES, teamsPayload } from "./teams/teams-notifier.js";
import { webhookPayload } from "./webhook/webhook-notifier.js";

const at = new Date("2026-03-02T03:00:00Z");
const alert = {
  id: "a1",
  serviceId: "s1",
  integrationId: "i1",
  dedupKey: "k1",
  groupingKey: "g1",
  status: "firing",
  level: "page",
  suppressed: false,
  summary: "Disk almost full on db-3",
  severity: "critical",
  labels: { alertname: "DiskFull", severity: "critical", instance: "db-3:9100", team: "<!channel> & co" },
  details: {
    annotations: {
      summary: "Disk almost full on db-3",
      description: "<b>2%</b> left & falling\nAcknowledge: https://evil.example/",
    },
  },
  source: "db-3:9100",
  links: [],
  startedAt: at,
  lastEventAt: at,
  expiresAt: null,
  resolvedAt: null,
  incidentId: "inc1",
  eventCount: 1,
  createdAt: at,
} satisfies Alert;

/** A page as buildIncidentMessage makes it from that alert. */
const page = (): IncidentMessage =>
  sampleMessage({
    title: "Disk almost full on db-3",
    details: alertFacts(alert, "Disk almost full on db-3", [{ label: "Alerts", value: "1 firing of 1" }]),
  });

/** A message built elsewhere, without the builder's bounds: 500 rows, one of them 1 MB. */
const oversized = (): IncidentMessage =>
  sampleMessage({
    details: [
      { label: "Severity", value: "critical" },
      { label: "blob", value: "x".repeat(1_000_000) },
      ...Array.from({ length: 498 }, (_, i) => ({ label: `label_${i}`, value: "v".repeat(100) })),
    ],
  });

describe("the alert's facts in each channel", () => {
  it("email: severity first among the facts, in the text and the HTML, alert text escaped", () => {
    const mail = renderEmail(page(), "page:1");
    assert.match(
      mail.text,
      /\n\nSeverity: critical\nAlerts: 1 firing of 1\ninstance: db-3:9100\nteam: <!channel> & co\n/,
    );
    // A forged line of ours inside the description stays indented under its label.
    assert.match(
      mail.text,
      /\ndescription: <b>2%<\/b> left & falling\n {4}Acknowledge: https:\/\/evil\.example\/\n/,
    );
    assert.match(mail.html, /<th [^>]*>Severity<\/th><td [^>]*>critical<\/td>/);
    assert.match(
      mail.html,
      /<td [^>]*>&lt;b&gt;2%&lt;\/b&gt; left &amp; falling\nAcknowledge: https:\/\/evil\.example\/<\/td>/,
    );
    assert.ok(!mail.html.includes("<b>2%"), "no markup from the alert");
    assert.equal(mail.subject, emailSubject(page()), "the subject is as before");
    assert.equal(mail.subject, "[FIREBREAK INC-42] Disk almost full on db-3 — Triggered");
  });

  it("email: a 1 MB detail and 500 rows make a mail of a few kilobytes", () => {
    const mail = renderEmail(oversized(), "page:1");
    assert.ok(mail.text.length < 30_000, `text part ${mail.text.length}`);
    assert.ok(mail.html.length < 40_000, `HTML part ${mail.html.length}`);
    assert.match(mail.text, /\nblob: x{999}…\n/);
    assert.match(mail.text, /\nMore: 480 more on the incident page\n/);
    assert.match(mail.html, /<th [^>]*>More<\/th><td [^>]*>480 more on the incident page<\/td>/);
  });

  it("Slack: severity in the facts section, mrkdwn escaped, every block within Slack's limits", () => {
    const body = renderSlackMessage(page(), { interactive: false });
    const section = body.blocks.find(
      (b) => b.type === "section" && b.text?.text.startsWith("*Severity:*"),
    ) as { text: { text: string } } | undefined;
    assert.ok(section, "a section of the facts, severity first");
    assert.match(section.text.text, /^\*Severity:\* critical\n\*Alerts:\* 1 firing of 1\n/);
    assert.match(section.text.text, /\*team:\* &lt;!channel&gt; &amp; co/);
    assert.ok(!section.text.text.includes("<!channel>"), "no mention from alert text");

    const big = renderSlackMessage(oversized(), { interactive: false });
    assert.ok(big.blocks.length <= SLACK_LIMITS.blocks);
    for (const block of big.blocks)
      if (block.type === "section" && block.text)
        assert.ok(block.text.text.length <= SLACK_LIMITS.sectionTextChars, `${block.text.text.length}`);
    assert.match(JSON.stringify(big.blocks), /…and \d+ more/);
  });

  it("Teams: the severity as a fact, and the card within its size limit", () => {
    const card = JSON.stringify(teamsPayload(page()));
    assert.match(card, /"text":"Severity: ","weight":"Bolder"\},\{"type":"TextRun","text":"critical"\}/);
    const big = JSON.stringify(teamsPayload(oversized()));
    assert.ok(Buffer.byteLength(big) <= TEAMS_MAX_PAYLOAD_BYTES, `${Buffer.byteLength(big)}`);
    assert.match(big, /"Severity: "/);
  });

  it("Discord: the severity as a field, and the embed within its limits", () => {
    const embed = (discordPayload(page()) as { embeds: [{ fields: Array<{ name: string; value: string }> }] })
      .embeds[0];
    assert.deepEqual(embed.fields.find((f) => f.name === "Severity")?.value, "critical");
    const big = (
      discordPayload(oversized()) as {
        embeds: [{ title: string; description: string; fields: Array<{ name: string; value: string }> }];
      }
    ).embeds[0];
    assert.ok(big.fields.length <= DISCORD_LIMITS.fields);
    const total =
      big.title.length +
      big.description.length +
      big.fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
    assert.ok(total <= DISCORD_LIMITS.embedTotalChars, `${total}`);
    assert.equal(big.fields.find((f) => f.name === "Severity")?.value, "critical");
  });

  it("ntfy: the severity in the message, which stays within ntfy's size", () => {
    const { message } = ntfyPayload(page(), "topic") as { message: string };
    assert.match(message, /\n\nSeverity: critical\n/);
    const big = ntfyPayload(oversized(), "topic") as { message: string };
    assert.ok(Buffer.byteLength(big.message) <= NTFY_MAX_MESSAGE_BYTES);
    assert.match(big.message, /\nSeverity: critical\n/);
  });

  it("webhook: the facts in incident.details, the payload's fields as before", () => {
    const payload = webhookPayload(page(), "page:1") as { incident: Record<string, unknown> };
    assert.deepEqual(Object.keys(payload.incident).sort(), [
      "acknowledgeUrl",
      "details",
      "event",
      "incidentId",
      "incidentNumber",
      "incidentUrl",
      "level",
      "links",
      "openedAt",
      "recipientName",
      "resolveUrl",
      "serviceName",
      "state",
      "title",
    ]);
    assert.deepEqual((payload.incident.details as unknown[]).slice(0, 3), [
      { label: "Severity", value: "critical" },
      { label: "Alerts", value: "1 firing of 1" },
      { label: "instance", value: "db-3:9100" },
    ]);
  });
});
