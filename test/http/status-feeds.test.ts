import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { after, before, describe, it } from "node:test";
import FeedParser from "feedparser";
import { FakeClock, MINUTE } from "../support/fake-clock.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { makePage, statusAdmin, type StatusAdmin } from "../support/status-setup.js";

/** Parses a feed with a real (strict, sax-based) feed parser. */
function parseFeed(xml: string): Promise<{ meta: FeedParser.Meta; items: FeedParser.Item[] }> {
  return new Promise((resolve, reject) => {
    const parser = new FeedParser({ strict: true, addmeta: false });
    const items: FeedParser.Item[] = [];
    parser.on("error", reject);
    parser.on("readable", () => {
      let item: FeedParser.Item | null;
      while ((item = parser.read() as FeedParser.Item | null)) items.push(item);
    });
    parser.on("end", () => resolve({ meta: parser.meta as FeedParser.Meta, items }));
    Readable.from([xml]).pipe(parser);
  });
}

describe("status history feeds", () => {
  let fb: TestFirebreak;
  let admin: StatusAdmin;
  const clock = new FakeClock(Date.parse("2025-03-02T09:30:00.000Z"));
  let incidentId = "";

  before(async () => {
    fb = await startTestFirebreak({
      clock,
      startEngine: false,
      env: { FIREBREAK_PUBLIC_URL: "https://oncall.example.com" },
    });
    admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    const page = await makePage(admin, { slug: "acme" });
    const created = await admin.call<{ id: string }>(
      "POST",
      `/api/v1/status-pages/${page.pageId}/incidents`,
      {
        name: `Errors & timeouts <on> the "API"`,
        impact: "minor",
        componentIds: [page.apiId],
        body: "Requests fail with 5xx < 1% of the time & we're on it.",
      },
    );
    incidentId = created.id;
    clock.advance(15 * MINUTE);
    await admin.call("POST", `/api/v1/status-pages/${page.pageId}/incidents/${incidentId}/updates`, {
      status: "resolved",
      body: "Fixed.",
    });
  });
  after(() => fb.close());

  it("Atom parses, with the incident as an entry keyed by its URL and updated at its last update", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/status/acme/history.atom" });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /^application\/atom\+xml/);
    const { meta, items } = await parseFeed(res.body);
    assert.equal(meta["#type"], "atom");
    assert.equal(meta.title, "Acme status history");
    assert.equal(meta.link, "https://oncall.example.com/status/acme");
    assert.equal(items.length, 1);
    const [entry] = items;
    assert.equal(entry?.title, `Errors & timeouts <on> the "API"`);
    assert.equal(entry?.guid, `https://oncall.example.com/status/acme/incidents/${incidentId}`);
    assert.equal(entry?.link, `https://oncall.example.com/status/acme/incidents/${incidentId}`);
    assert.equal(entry?.date?.toISOString(), clock.now().toISOString(), "updated: the last update");
    assert.equal(entry?.pubdate?.toISOString(), new Date(clock.now().getTime() - 15 * MINUTE).toISOString());
    assert.match(
      entry?.description ?? "",
      /Requests fail with 5xx &lt; 1% of the time &amp; we&#39;re on it\./,
    );
    assert.match(entry?.description ?? "", /<strong>Resolved<\/strong> - Fixed\./);
  });

  it("RSS parses, with a non-permalink guid and an RFC 822 pubDate", async () => {
    const res = await fb.http.inject({ method: "GET", url: "/status/acme/history.rss" });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers["content-type"] as string, /^application\/rss\+xml/);
    assert.match(res.body, /<pubDate>Sun, 02 Mar 2025 09:30:00 GMT<\/pubDate>/);
    const { meta, items } = await parseFeed(res.body);
    assert.equal(meta["#type"], "rss");
    assert.equal(meta.title, "Acme status history");
    const [item] = items;
    assert.equal(item?.title, `Errors & timeouts <on> the "API"`);
    assert.equal(item?.guid, `https://oncall.example.com/status/acme/incidents/${incidentId}`);
    // In strict mode feedparser keeps RSS's camel-cased pubDate as read; it must be an RFC 822 date.
    const pubDate = (item as unknown as Record<string, { "#": string }>)["rss:pubDate"]?.["#"] ?? "";
    assert.equal(new Date(pubDate).toISOString(), "2025-03-02T09:30:00.000Z");
  });

  it("a broken document does not parse (the parser is strict)", async () => {
    await assert.rejects(parseFeed("<feed><entry></feed>"));
  });
});
