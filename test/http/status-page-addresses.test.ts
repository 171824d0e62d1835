import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { describeEachDialect } from "../support/dialects.js";
import { startTestFirebreak, type TestFirebreak } from "../support/firebreak-harness.js";
import { client, type Client } from "./alerting-helpers.js";
import { assertProblem, assertRacingCreates } from "./problem-assertions.js";

// A status page's slug and custom domain are its public addresses: two saves of one at the same moment
// answer like one after the other (on PostgreSQL both pass the check in code; the unique index decides).

describeEachDialect("status page addresses", (dialect) => {
  let fb: TestFirebreak;
  let admin: Client;

  before(async () => {
    fb = await startTestFirebreak({ dialect, startEngine: false });
    admin = client(fb, { key: await fb.apiKey("admin") });
  });
  after(async () => {
    await fb?.close();
  });

  it("creates of one slug at once: one page is made, the others are told the slug is taken", async () => {
    await assertRacingCreates(
      "racing-page",
      (slug) => admin.post("/api/v1/status-pages", { slug, title: `Page ${slug}` }),
      (slug) => `a status page with the slug ${slug} exists already`,
      "/slug",
    );
  });

  it("two pages moved to one custom domain at once: one gets it, the other is told it is taken", async () => {
    for (const round of [1, 2, 3]) {
      const ids: string[] = [];
      for (const side of ["a", "b"]) {
        const res = await admin.post("/api/v1/status-pages", {
          slug: `domain-${round}-${side}`,
          title: "Page",
        });
        assert.equal(res.statusCode, 201, res.body);
        ids.push((res.json() as { id: string }).id);
      }
      const domain = `status${round}.example.com`;
      const answers = await Promise.all(
        ids.map((id) => admin.patch(`/api/v1/status-pages/${id}`, { customDomain: domain })),
      );
      const bodies = answers.map((a) => a.body).join("\n");
      assert.equal(answers.filter((a) => a.statusCode === 200).length, 1, bodies);
      const refused = assertProblem(
        answers.find((a) => a.statusCode !== 200)!,
        409,
        "CONFLICT",
      );
      assert.equal(refused.detail, `another status page uses ${domain}`, bodies);
      assert.deepEqual(
        refused.errors?.map((e) => e.path),
        ["/customDomain"],
      );
    }
  });
});
