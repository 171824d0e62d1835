import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { after, before, it } from "node:test";
import { addContactMethod } from "../../src/app/contact/manage-contact-methods.js";
import { createSchedule } from "../../src/app/schedules/manage-schedules.js";
import { updateUser } from "../../src/app/users/update-user.js";
import { describeEachDialect } from "../support/dialects.js";
import { setupCaller, startResponseScenario, type ResponseScenario } from "../support/response-setup.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem } from "./problem-assertions.js";

const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
const ADA_SLACK = "U024BE7LH";
const STRANGER_SLACK = "U0STRANGER1";

const sign = (body: string, timestamp: number, secret = SIGNING_SECRET) =>
  `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;

/** Slack's slash-command form, as it posts it. */
const commandForm = (slackUserId: string, text: string) =>
  new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: "T0001",
    team_domain: "example",
    channel_id: "C2147483705",
    channel_name: "incidents",
    user_id: slackUserId,
    user_name: "someone",
    command: "/firebreak",
    text,
    api_app_id: "A123456",
    response_url: "https://hooks.slack.com/commands/T0001/1/xyz",
    trigger_id: "13345224609.738474920.8088930838d88f008e0",
  }).toString();

interface Reply {
  response_type: string;
  text: string;
}

describeEachDialect("Slack slash command /firebreak", (dialect) => {
  let s: ResponseScenario;
  let viewer: Client;
  const now = () => Math.floor(s.clock.now().getTime() / 1000);

  const post = (body: string, options: { signature?: string } = {}) => {
    const timestamp = now();
    return s.fb.http.inject({
      method: "POST",
      url: "/slack/commands",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": options.signature ?? sign(body, timestamp),
      },
      payload: body,
    });
  };
  /** Runs a command and returns the ephemeral reply's text. */
  const command = async (text: string, slackUserId = ADA_SLACK): Promise<string> => {
    const res = await post(commandForm(slackUserId, text));
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.headers["content-type"] as string, /^application\/json/);
    const reply = res.json() as Reply;
    assert.equal(reply.response_type, "ephemeral");
    return reply.text;
  };

  before(async () => {
    s = await startResponseScenario(dialect, { env: { FIREBREAK_SLACK_SIGNING_SECRET: SIGNING_SECRET } });
    viewer = client(s.fb, { key: await s.fb.apiKey("viewer") });
    // Ada links her Slack account by naming her member ID in a Slack contact method's label.
    await addContactMethod(s.fb.running.deps, setupCaller, {
      userId: s.ada.id,
      kind: "slack",
      label: `Slack ${ADA_SLACK}`,
      config: { mode: "webhook", url: "https://hooks.slack.com/services/T0001/B0001/secret" },
    });
    // Daily shifts from 09:00 UTC: at the reference time (2021-01-01 00:00 UTC) Ada is on until 09:00.
    await createSchedule(s.fb.running.deps, setupCaller, {
      name: "Checkout on-call",
      timeZone: "UTC",
      layers: [
        {
          name: "Daily",
          rotation: {
            memberIds: [s.ada.id, s.bob.id],
            shiftLength: 1,
            shiftUnit: "days",
            startLocal: "2020-12-31T09:00",
          },
        },
      ],
    });
  });
  after(() => s.close());

  it("triage acknowledges and triages the incident as the linked user, who becomes its handler", async () => {
    const incident = await s.openIncident("SlackTriage");
    assert.equal(incident.state, "triggered");
    const text = await command(`triage INC-${incident.number} SEV1 outage`);
    assert.equal(
      text,
      `INC-${incident.number} is acknowledged, triaged SEV1 outage; Ada is the Incident Handler.`,
    );
    const res = await viewer.get(`/api/v1/incidents/${incident.id}/response`);
    assert.equal(res.statusCode, 200, res.body);
    const room = res.json() as {
      incident: { state: string; acknowledgedBy: string | null };
      response: { severity: string; level: string; handlerId: string; onCallCanHandle: boolean };
    };
    assert.equal(room.incident.state, "acknowledged");
    assert.equal(room.incident.acknowledgedBy, s.ada.id);
    assert.equal(room.response.severity, "SEV1");
    assert.equal(room.response.level, "outage");
    assert.equal(room.response.onCallCanHandle, true);
    assert.equal(room.response.handlerId, s.ada.id);
  });

  it("ack and resolve act on the incident; errors come back as ephemeral replies", async () => {
    const incident = await s.openIncident("SlackAck");
    assert.equal(await command(`ack INC-${incident.number}`), `INC-${incident.number} is acknowledged.`);
    assert.equal(await command(`resolve INC-${incident.number}`), `INC-${incident.number} is resolved.`);
    assert.match(await command(`ack INC-${incident.number}`), /^Firebreak: .*is resolved/);
    assert.match(await command("ack INC-999999"), /^Firebreak: .*not found/);
  });

  it("tells an unlinked Slack member how to link, and changes nothing", async () => {
    const incident = await s.openIncident("SlackStranger");
    const text = await command(`triage INC-${incident.number} SEV1 outage`, STRANGER_SLACK);
    assert.match(text, /not linked to a Firebreak user: add a Slack contact method/);
    assert.match(text, new RegExp(STRANGER_SLACK));
    const room = (await viewer.get(`/api/v1/incidents/${incident.id}/response`)).json() as {
      incident: { state: string };
    };
    assert.equal(room.incident.state, "triggered");
  });

  it("names the allowed values for a bad level or severity", async () => {
    const incident = await s.openIncident("SlackBadLevel");
    assert.match(
      await command(`triage INC-${incident.number} SEV1 meltdown`),
      /level must be degradation, data-corruption, outage \(not meltdown\)/,
    );
    assert.match(
      await command(`triage INC-${incident.number} SEV9 outage`),
      /severity must be SEV1, SEV2, SEV3, SEV4 \(not SEV9\)/,
    );
    const room = (await viewer.get(`/api/v1/incidents/${incident.id}/response`)).json() as {
      incident: { state: string };
      response: { severity: string | null };
    };
    assert.equal(room.incident.state, "triggered");
    assert.equal(room.response.severity, null);
  });

  it("a bad signature is a 401 and does nothing", async () => {
    const incident = await s.openIncident("SlackForged");
    const body = commandForm(ADA_SLACK, `ack INC-${incident.number}`);
    assertProblem(
      await post(body, { signature: sign(body, now(), "another-apps-secret") }),
      401,
      "UNAUTHENTICATED",
    );
    assertProblem(await post(body, { signature: "v0=deadbeef" }), 401, "UNAUTHENTICATED");
    const room = (await viewer.get(`/api/v1/incidents/${incident.id}/response`)).json() as {
      incident: { state: string };
    };
    assert.equal(room.incident.state, "triggered");
  });

  it("help (and no text at all) lists the commands", async () => {
    for (const text of ["help", ""]) {
      const reply = await command(text);
      for (const sub of ["triage", "ack", "resolve", "oncall", "help"])
        assert.match(reply, new RegExp(`/firebreak ${sub}`), `${sub} in help for ${JSON.stringify(text)}`);
    }
    assert.match(await command("page everyone"), /unknown command page/);
    const doc = (await viewer.get("/openapi.json")).json() as { paths: Record<string, unknown> };
    assert.ok(doc.paths["/slack/commands"], "/slack/commands in the OpenAPI document");
  });

  it("oncall says who is on call now, for every schedule or a named one", async () => {
    const all = await command("oncall");
    assert.match(all, /^On call now:/);
    assert.match(all, /\*Checkout on-call\*: Ada until <!date\^1609491600\^/);
    assert.match(await command("oncall Checkout on-call"), /\*Checkout on-call\*: Ada/);
    assert.match(await command("oncall No such schedule"), /^Firebreak: schedule No such schedule not found/);
  });
  it("oncall names a schedule left uncovered by a disabled person, instead of leaving it out", async () => {
    const zed = await s.person("responder", "Zed");
    await createSchedule(s.fb.running.deps, setupCaller, {
      name: "Billing on-call",
      timeZone: "UTC",
      layers: [
        {
          name: "Daily",
          rotation: {
            memberIds: [zed.id],
            shiftLength: 1,
            shiftUnit: "days",
            startLocal: "2020-12-31T09:00",
          },
        },
      ],
    });
    await updateUser(s.fb.running.deps, setupCaller, zed.id, { disabled: true });
    const all = await command("oncall");
    assert.match(all, /\*Billing on-call\*: nobody \(Zed is disabled\)/);
    assert.match(
      await command("oncall Billing on-call"),
      /^On call now:\n• \*Billing on-call\*: nobody \(Zed is disabled\)$/,
    );
  });
  it("escapes &, < and > in what people named or typed, so a reply cannot mention @channel or link", async () => {
    await createSchedule(s.fb.running.deps, setupCaller, {
      name: "<!channel> & <https://evil.example|pay>",
      timeZone: "UTC",
      layers: [
        {
          name: "Daily",
          rotation: {
            memberIds: [s.bob.id],
            shiftLength: 1,
            shiftUnit: "days",
            startLocal: "2020-12-31T09:00",
          },
        },
      ],
    });
    const all = await command("oncall");
    assert.match(all, /\*&lt;!channel&gt; &amp; &lt;https:\/\/evil\.example\|pay&gt;\*: Bob until <!date\^/);
    assert.equal(await command("<!here>"), "unknown command &lt;!here&gt;: try `/firebreak help`");
    assert.equal(await command("oncall <!here>"), "Firebreak: schedule &lt;!here&gt; not found");
  });
  it("drops bidi controls and invisible formatting from names in a reply, as the notifiers do", async () => {
    const family = "\u{1f468}\u200d\u{1f469}\u200d\u{1f467}"; // one emoji: its ZWJs stay
    // Names with bidi controls are refused now; one stored before that is renamed in the store.
    const stored = `Pay\u202e!ti\u202c \u2066ments\u2069 Dis\u200bk ${family}`;
    const { id } = await createSchedule(s.fb.running.deps, setupCaller, {
      name: "Payments disk",
      timeZone: "UTC",
      layers: [
        {
          name: "Daily",
          rotation: {
            memberIds: [s.bob.id],
            shiftLength: 1,
            shiftUnit: "days",
            startLocal: "2020-12-31T09:00",
          },
        },
      ],
    });
    await s.fb.running.deps.uow.run(async (tx) => {
      const schedule = (await tx.schedules.findById(id))!;
      await tx.schedules.update({ ...schedule, name: stored });
    });
    const all = await command("oncall");
    assert.ok(all.includes(`*Pay!ti ments Disk ${family}*: Bob until <!date^`), all);
    assert.doesNotMatch(all, /[\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    // An error quoting what was typed is cleaned the same way.
    assert.equal(await command("oncall \u202eno\u200bne"), "Firebreak: schedule none not found");
  });
});
