import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseSlackCommand, type SlackCommand } from "./slack-command.js";

const cases: ReadonlyArray<{ text: string; expected: SlackCommand }> = [
  { text: "", expected: { kind: "help" } },
  { text: "   ", expected: { kind: "help" } },
  { text: "help", expected: { kind: "help" } },
  { text: "HELP", expected: { kind: "help" } },
  {
    text: "triage INC-12 SEV1 outage",
    expected: {
      kind: "triage",
      incidentRef: "INC-12",
      severity: "SEV1",
      level: "outage",
      onCallCanHandle: true,
    },
  },
  {
    text: "  triage   INC-7  sev2   Data-Corruption  --cannot-handle ",
    expected: {
      kind: "triage",
      incidentRef: "INC-7",
      severity: "SEV2",
      level: "data-corruption",
      onCallCanHandle: false,
    },
  },
  {
    text: "triage --cannot-handle 42 SEV4 degradation",
    expected: {
      kind: "triage",
      incidentRef: "42",
      severity: "SEV4",
      level: "degradation",
      onCallCanHandle: false,
    },
  },
  { text: "ack INC-3", expected: { kind: "ack", incidentRef: "INC-3" } },
  { text: "acknowledge INC-3", expected: { kind: "ack", incidentRef: "INC-3" } },
  { text: "resolve INC-3", expected: { kind: "resolve", incidentRef: "INC-3" } },
  { text: "oncall", expected: { kind: "oncall", schedule: null } },
  { text: "oncall Database on-call", expected: { kind: "oncall", schedule: "Database on-call" } },
];

const invalidCases: ReadonlyArray<{ text: string; message: RegExp }> = [
  { text: "triage", message: /name the incident/ },
  { text: "triage INC-1", message: /severity must be SEV1, SEV2, SEV3, SEV4$/ },
  { text: "triage INC-1 SEV9 outage", message: /severity must be SEV1, SEV2, SEV3, SEV4 \(not SEV9\)/ },
  { text: "triage INC-1 SEV1", message: /level must be degradation, data-corruption, outage$/ },
  {
    text: "triage INC-1 SEV1 meltdown",
    message: /level must be degradation, data-corruption, outage \(not meltdown\)/,
  },
  { text: "triage INC-1 SEV1 outage now", message: /unexpected now/ },
  { text: "triage INC-1 SEV1 outage --loud", message: /unknown option --loud/ },
  { text: "ack", message: /ack: name the incident/ },
  { text: "resolve INC-1 INC-2", message: /resolve: unexpected INC-2/ },
  { text: "page everyone", message: /unknown command page/ },
];

describe("reading the /firebreak slash command", () => {
  for (const { text, expected } of cases)
    it(`reads ${JSON.stringify(text)}`, () => {
      assert.deepEqual(parseSlackCommand(text), expected);
    });
  for (const { text, message } of invalidCases)
    it(`refuses ${JSON.stringify(text)}, saying why`, () => {
      const parsed = parseSlackCommand(text);
      assert.equal(parsed.kind, "invalid");
      assert.match(parsed.kind === "invalid" ? parsed.message : "", message);
    });
});
