import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { LightMyRequestResponse } from "fastify";
import { createIngestService, type IngestService } from "../support/alerting-setup.js";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { assertProblem, bearer } from "./problem-assertions.js";

/** JSON text as bytes, with raw bytes spliced in where the text says `<bytes>`. */
const withBytes = (json: string, bytes: readonly number[]): Buffer => {
  const [head = "", tail = ""] = json.split("<bytes>");
  return Buffer.concat([Buffer.from(head, "utf8"), Buffer.from(bytes), Buffer.from(tail, "utf8")]);
};

/** A string's UTF-16 bytes in either order, with a byte order mark first. */
const utf16 = (text: string, order: "le" | "be"): Buffer => {
  const le = Buffer.from(`\ufeff${text}`, "utf16le");
  return order === "le" ? le : Buffer.from(le).swap16();
};

/**
 * The bytes of a request body are text only as UTF-8 (RFC 8259), and text is Unicode only without an
 * unpaired surrogate. Outside ingest, anything else is refused naming what is wrong (it was stored
 * as U+FFFD, or as something other than the 201 said); the ingest endpoints keep every alert, and store
 * exactly what they answer.
 */
describeEachDialect("request bodies as text: charsets, UTF-8 and surrogates", (dialect) => {
  let fb: TestFirebreak;
  let ingest: IngestService;
  let adminKey: string;
  let n = 0;
  const unique = (base: string) => `${base}-${dialect}-${++n}`;

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    ingest = await createIngestService(fb.running.deps, {
      name: "request text",
      kinds: ["webhook", "alertmanager", "prometheus", "pagerduty"],
    });
    adminKey = await fb.apiKey("admin");
  });
  after(() => fb?.close());

  const send = (
    method: "POST" | "PATCH",
    url: string,
    payload: string | Buffer,
    contentType = "application/json",
    headers: Record<string, string> = bearer(adminKey),
  ): Promise<LightMyRequestResponse> =>
    fb.http.inject({ method, url, headers: { ...headers, "content-type": contentType }, payload });

  const teams = async () =>
    (await fb.http.inject({ method: "GET", url: "/api/v1/teams", headers: bearer(adminKey) })).body;

  const storedAlerts = () =>
    fb.running.deps.uow.read((tx) => tx.alerts.list({ serviceId: ingest.service.id, limit: 500 }));
  const storedAlert = async (dedupKey: string) => {
    const found = (await storedAlerts()).find((a) => a.dedupKey === dedupKey);
    assert.ok(found, `an alert ${JSON.stringify(dedupKey)} was stored`);
    return found;
  };

  describe("outside ingest", () => {
    const refusedCharsets: Array<[label: string, contentType: string, body: Buffer, named: string]> = [
      [
        "latin-1 bytes",
        "application/json; charset=iso-8859-1",
        withBytes('{"name":"caf<bytes>-latin1"}', [0xe9]),
        "iso-8859-1",
      ],
      [
        "UTF-16 with a byte order mark",
        "application/json; charset=utf-16",
        utf16('{"name":"x"}', "le"),
        "utf-16",
      ],
      [
        "a quoted charset",
        'application/json; charset="Windows-1252"',
        Buffer.from('{"name":"x"}'),
        "Windows-1252",
      ],
    ];
    for (const [label, contentType, body, named] of refusedCharsets)
      it(`${contentType} (${label}) is a 415 naming ${named}, and nothing is stored`, async () => {
        const before = await teams();
        const res = await send("POST", "/api/v1/teams", body, contentType);
        const problem = assertProblem(res, 415, "UNSUPPORTED_MEDIA_TYPE");
        assert.ok(problem.detail.includes(`charset=${named}`), problem.detail);
        assert.match(problem.detail, /send the body as UTF-8/);
        assert.equal(await teams(), before, "nothing was stored");
      });

    for (const contentType of [
      "application/json; charset=utf-8",
      "application/json; charset=UTF-8",
      "application/json;charset=utf8",
      'application/json; charset="utf-8"',
      "application/json",
    ])
      it(`${contentType} is read as UTF-8, and what is stored is what the 201 said`, async () => {
        const name = unique("café ☕ 😀");
        const res = await send(
          "POST",
          "/api/v1/teams",
          Buffer.from(JSON.stringify({ name }), "utf8"),
          contentType,
        );
        assert.equal(res.statusCode, 201, res.body);
        assert.equal((res.json() as { name: string }).name, name);
        assert.ok((JSON.parse(await teams()) as Array<{ name: string }>).some((t) => t.name === name));
      });

    it("an empty body with a charset other than UTF-8 is still no body", async () => {
      const made = await send("POST", "/api/v1/vendors", JSON.stringify({ name: unique("Acme") }));
      assert.equal(made.statusCode, 201, made.body);
      const res = await fb.http.inject({
        method: "DELETE",
        url: `/api/v1/vendors/${(made.json() as { id: string }).id}`,
        headers: { ...bearer(adminKey), "content-type": "application/json; charset=iso-8859-1" },
        payload: "",
      });
      assert.equal(res.statusCode, 204, res.body);
    });

    const invalid: Array<[label: string, bytes: number[], offset: number]> = [
      ["FF FE C3", [0xff, 0xfe, 0xc3], 9],
      ["a lone continuation byte", [0x80], 9],
      ["a truncated sequence", [0xe2, 0x82], 9],
      ["an overlong slash", [0xc0, 0xaf], 9],
      ["an encoded surrogate (CESU-8)", [0xed, 0xa0, 0x80], 9],
      ["a code point past U+10FFFF", [0xf4, 0x90, 0x80, 0x80], 9],
    ];
    for (const [label, bytes, offset] of invalid)
      it(`invalid UTF-8 (${label}) is a 400 naming the byte offset, and nothing is stored`, async () => {
        const before = await teams();
        const res = await send("POST", "/api/v1/teams", withBytes('{"name":"<bytes>x"}', bytes));
        const problem = assertProblem(res, 400, "VALIDATION");
        assert.equal(
          problem.detail,
          `the request body is not valid UTF-8 at byte offset ${offset} ` +
            `(0x${bytes[0]!.toString(16).toUpperCase()}); send the body as UTF-8`,
        );
        assert.equal(await teams(), before, "nothing was stored");
      });

    it("invalid UTF-8 in a PATCH is refused too, and the service keeps its description", async () => {
      const made = await send("POST", "/api/v1/services", JSON.stringify({ name: unique("bytes") }));
      assert.equal(made.statusCode, 201, made.body);
      const url = `/api/v1/services/${(made.json() as { id: string }).id}`;
      const res = await send("PATCH", url, withBytes('{"description":"db <bytes> down"}', [0xff]));
      assert.match(
        assertProblem(res, 400, "VALIDATION").detail,
        /body is not valid UTF-8 at byte offset 19 \(0xFF\)/,
      );
      const now = await fb.http.inject({ method: "GET", url, headers: bearer(adminKey) });
      assert.notEqual((now.json() as { description?: string }).description, "db \ufffd down");
    });

    const surrogates: Array<[label: string, json: string, path: string, detail: string]> = [
      [
        "a high surrogate alone",
        '{"name":"lone\\ud800x"}',
        "/name",
        "name has an unpaired surrogate (\\ud800), which is not valid Unicode text",
      ],
      [
        "a low surrogate alone",
        '{"name":"\\uDC00"}',
        "/name",
        "name has an unpaired surrogate (\\udc00), which is not valid Unicode text",
      ],
      [
        "two high surrogates",
        '{"name":"\\ud83d\\ud83d"}',
        "/name",
        "name has an unpaired surrogate (\\ud83d), which is not valid Unicode text",
      ],
    ];
    for (const [label, json, path, detail] of surrogates)
      it(`${label} is a 400 naming the field, and nothing is stored`, async () => {
        const before = await teams();
        const problem = assertProblem(await send("POST", "/api/v1/teams", json), 400, "VALIDATION");
        assert.equal(problem.detail, detail);
        assert.equal(problem.errors?.[0]?.path, path);
        assert.equal(await teams(), before, "nothing was stored");
      });

    it("a surrogate in a key is named, the key shown with U+FFFD in the detail", async () => {
      const body = `{"name":"${unique("#s")}","kind":"webhook","config":{"url":"http://127.0.0.1:9/h","a\\udfffb":"s"}}`;
      const problem = assertProblem(await send("POST", "/api/v1/channels", body), 400, "VALIDATION");
      assert.deepEqual(problem.errors, [
        {
          path: "/config/a\udfffb",
          message: "has an unpaired surrogate (\\udfff), which is not valid Unicode text",
        },
      ]);
      assert.equal(
        problem.detail,
        "config.a\ufffdb has an unpaired surrogate (\\udfff), which is not valid Unicode text",
      );
    });

    it("a surrogate pair written as escapes is one character, stored as answered", async () => {
      const name = unique("pair");
      const res = await send("POST", "/api/v1/teams", `{"name":"${name}\\ud83d\\ude00"}`);
      assert.equal(res.statusCode, 201, res.body);
      assert.equal((res.json() as { name: string }).name, `${name}😀`);
      assert.ok((JSON.parse(await teams()) as Array<{ name: string }>).some((t) => t.name === `${name}😀`));
    });
  });

  describe("ingest: every alert kept, stored as answered", () => {
    const webhook = () => `/integrations/webhook/${ingest.keys.webhook}`;

    it("invalid UTF-8 is stored as U+FFFD, as before", async () => {
      const dedupKey = unique("bytes");
      const res = await send(
        "POST",
        webhook(),
        withBytes(`{"summary":"disk <bytes> full","dedup_key":"${dedupKey}"}`, [0xff, 0xfe, 0xc3]),
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal((await storedAlert(dedupKey)).summary, "disk \ufffd\ufffd\ufffd full");
    });

    it("lone surrogates become U+FFFD before anything reads them: in a summary, a label's name and value", async () => {
      const dedupKey = unique("lone");
      const res = await send(
        "POST",
        webhook(),
        `{"summary":"disk\\ud800 full","dedup_key":"${dedupKey}","labels":{"te\\udc00am":"st\\ud83d\\ude00"}}`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const alert = await storedAlert(dedupKey);
      assert.equal(alert.summary, "disk\ufffd full");
      assert.deepEqual(alert.labels, { "te\ufffdam": "st😀" });
    });

    it("PagerDuty echoes the dedup_key it stored: a lone surrogate and a NUL as U+FFFD", async () => {
      const dedupKey = unique("pd");
      const res = await send(
        "POST",
        "/v2/enqueue",
        JSON.stringify({
          routing_key: ingest.keys.pagerduty,
          event_action: "trigger",
          dedup_key: `${dedupKey}\ud800\u0000`,
          payload: { summary: "Disk almost full", source: "db-7", severity: "critical" },
        }),
        "application/json",
        {},
      );
      assert.equal(res.statusCode, 202, res.body);
      const echoed = (res.json() as { dedup_key: string }).dedup_key;
      assert.equal(echoed, `${dedupKey}\ufffd\ufffd`);
      assert.equal((await storedAlert(echoed)).summary, "Disk almost full");
    });

    it("Alertmanager API v2: a lone surrogate in a label is stored as U+FFFD", async () => {
      const alertname = unique("AmLone");
      const res = await send(
        "POST",
        `/int/${ingest.keys.prometheus}/api/v2/alerts`,
        `[{"labels":{"alertname":"${alertname}","instance":"db\\udbff7"},"annotations":{"summary":"x\\ud800"}}]`,
      );
      assert.equal(res.statusCode, 200, res.body);
      const alert = (await storedAlerts()).find((a) => a.labels.alertname === alertname);
      assert.equal(alert?.labels.instance, "db\ufffd7");
      assert.equal(alert?.summary, "x\ufffd");
    });

    /** A generic webhook event, as JSON text: the bytes are made from it in each charset. */
    const event = (summary: string, dedupKey: string) => JSON.stringify({ summary, dedup_key: dedupKey });
    const declared: Array<[label: string, contentType: string, bytes: (json: string) => Buffer]> = [
      ["latin-1", "application/json; charset=ISO-8859-1", (json) => Buffer.from(json, "latin1")],
      ["UTF-16LE with a byte order mark", "application/json; charset=utf-16", (json) => utf16(json, "le")],
      ["UTF-16BE with a byte order mark", "application/json; charset=UTF-16", (json) => utf16(json, "be")],
      ["UTF-16BE without one", "application/json; charset=utf-16be", (json) => utf16(json, "be").subarray(2)],
      ["UTF-16LE without one", "application/json; charset=utf-16", (json) => utf16(json, "le").subarray(2)],
      [
        "UTF-8 bytes under a false utf-16le",
        "application/json; charset=utf-16le",
        (json) => Buffer.from(json),
      ],
      ["UTF-8 bytes under a false latin-1", "application/json; charset=latin1", (json) => Buffer.from(json)],
      ["a charset nobody knows", "application/json; charset=x-unknown", (json) => Buffer.from(json)],
    ];
    for (const [label, contentType, bytes] of declared)
      it(`a body in ${label} (${contentType}) is read as it was written, not refused`, async () => {
        const dedupKey = unique("charset");
        const summary = contentType.includes("utf-16") ? "café ☕ down" : "café down";
        const res = await send("POST", webhook(), bytes(event(summary, dedupKey)), contentType);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal((await storedAlert(dedupKey)).summary, summary);
      });
  });
});
