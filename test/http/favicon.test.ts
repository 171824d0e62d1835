// /favicon.ico answers on every host (Firebreak's own and a status page's custom domain), so a public
// status page's load logs no 404; the pages link it, and the console links the same mark as an SVG.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { FAVICON_SVG } from "../../src/http/routes/status-public.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { makePage, statusAdmin } from "../support/status-setup.js";

const CONSOLE_FAVICON = new URL("../../src/web/public/favicon.svg", import.meta.url);
const CONSOLE_INDEX = new URL("../../src/web/index.html", import.meta.url);

describe("favicon", () => {
  let fb: TestFirebreak;
  const get = (url: string, headers: Record<string, string> = {}) =>
    fb.http.inject({ method: "GET", url, headers });

  before(async () => {
    fb = await startTestFirebreak({ startEngine: false });
    const admin = statusAdmin(fb.http, await fb.apiKey("admin"));
    await makePage(admin, { slug: "acme", customDomain: "status.acme.example" });
  });
  after(() => fb?.close());

  const assertFavicon = (res: Awaited<ReturnType<typeof get>>) => {
    assert.equal(res.statusCode, 200, res.body);
    assert.match(String(res.headers["content-type"]), /^image\/svg\+xml/);
    assert.match(String(res.headers["cache-control"]), /public, max-age=\d+/);
    assert.equal(res.body, FAVICON_SVG);
  };

  it("answers /favicon.ico on Firebreak's own host, for a browser too (not the console's page)", async () => {
    assertFavicon(await get("/favicon.ico"));
    assertFavicon(
      await get("/favicon.ico", { accept: "image/avif,image/webp,*/*", host: "oncall.example.com" }),
    );
    assertFavicon(await get("/favicon.ico", { accept: "text/html,*/*" }));
    const head = await fb.http.inject({ method: "HEAD", url: "/favicon.ico" });
    assert.equal(head.statusCode, 200);
  });

  it("answers /favicon.ico on a status page's custom domain", async () => {
    assertFavicon(await get("/favicon.ico", { host: "status.acme.example" }));
  });

  it("is linked from the status pages' heads, on both hosts", async () => {
    for (const [url, host] of [
      ["/status/acme", undefined],
      ["/status/acme/history", undefined],
      ["/", "status.acme.example"],
    ] as const) {
      const page = await get(url, { accept: "text/html", ...(host && { host }) });
      assert.equal(page.statusCode, 200, `${host ?? ""}${url}: ${page.body}`);
      const head = page.body.split("</head>")[0] ?? "";
      assert.match(head, /<link rel="icon" href="\/favicon\.ico" type="image\/svg\+xml">/, url);
    }
  });

  it("is the console's mark: the same SVG its index.html links", () => {
    assert.equal(readFileSync(CONSOLE_FAVICON, "utf8"), FAVICON_SVG);
    assert.match(
      readFileSync(CONSOLE_INDEX, "utf8"),
      /<link rel="icon" href="\/favicon\.svg" type="image\/svg\+xml" \/>/,
    );
  });
});
