import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { INTEGRATION_KINDS } from "../../core/alerts/records.js";
import { cronSchedule, heartbeatScheduleSnippet, integrationEndpoint } from "./integration-snippets.js";

const KEY = "AbC123_-xyz0123456789abcdefghijk";
const byId = (kind: Parameters<typeof integrationEndpoint>[1], publicUrl = "https://firebreak.example.net") =>
  new Map(integrationEndpoint(publicUrl, kind, KEY).snippets.map((s) => [s.id, s.text]));

describe("integration snippets", () => {
  it("every kind has a URL, a curl example, and the key somewhere to paste", () => {
    for (const kind of INTEGRATION_KINDS) {
      const endpoint = integrationEndpoint("https://firebreak.example.net", kind, KEY);
      assert.match(endpoint.url, /^https:\/\/firebreak\.example\.net\//);
      const curl = endpoint.snippets.find((s) => s.id === "curl");
      assert.ok(curl, `${kind} has a curl example`);
      assert.match(curl.text, /^curl -fsS /);
      assert.ok(
        endpoint.snippets.every((s) => s.text.includes(KEY)),
        `${kind}: every snippet carries the key`,
      );
    }
  });

  it("Alertmanager: webhook_configs with the key in the URL and send_resolved", () => {
    const endpoint = integrationEndpoint("https://firebreak.example.net", "alertmanager", KEY);
    assert.equal(endpoint.url, `https://firebreak.example.net/integrations/alertmanager/${KEY}`);
    assert.equal(
      byId("alertmanager").get("alertmanager-webhook"),
      "route:\n  receiver: firebreak-webhook\n  group_by: ['alertname']\n" +
        `receivers:\n  - name: firebreak-webhook\n    webhook_configs:\n      - url: "${endpoint.url}"\n        send_resolved: true\n`,
    );
    assert.match(byId("alertmanager").get("grafana-webhook") ?? "", new RegExp(`URL: ${endpoint.url}`));
  });

  it("PagerDuty: routing_key and the Events API URL, for Alertmanager and Grafana", () => {
    const snippets = byId("pagerduty");
    assert.equal(
      integrationEndpoint("https://firebreak.example.net", "pagerduty", KEY).url,
      "https://firebreak.example.net/v2/enqueue",
    );
    assert.match(
      snippets.get("alertmanager-pagerduty") ?? "",
      new RegExp(`routing_key: "${KEY}"\\n        url: "https://firebreak.example.net/v2/enqueue"`),
    );
    assert.match(
      snippets.get("grafana-pagerduty") ?? "",
      new RegExp(`Integration Key: ${KEY}\\n.*https://firebreak.example.net/v2/enqueue`),
    );
  });

  it("Prometheus: scheme, host:port and path_prefix /int/KEY, keeping a path the public URL has", () => {
    assert.match(
      byId("prometheus").get("prometheus-alertmanagers") ?? "",
      new RegExp(
        `scheme: https\\n      path_prefix: "/int/${KEY}"[\\s\\S]*targets: \\["firebreak.example.net:443"\\]`,
      ),
    );
    const behindPath =
      byId("prometheus", "http://10.0.0.5:8080/firebreak").get("prometheus-alertmanagers") ?? "";
    assert.match(behindPath, /scheme: http\n/);
    assert.match(behindPath, new RegExp(`path_prefix: "/firebreak/int/${KEY}"`));
    assert.match(behindPath, /targets: \["10\.0\.0\.5:8080"\]/);
    assert.match(byId("prometheus").get("curl") ?? "", new RegExp(`/int/${KEY}/api/v2/alerts'`));
  });

  it("heartbeat: curl -fsS URL", () => {
    assert.equal(
      byId("heartbeat").get("curl"),
      `curl -fsS 'https://firebreak.example.net/heartbeat/${KEY}'\n`,
    );
  });

  it("heartbeat: the crontab line runs once per interval where cron can say so", () => {
    const cases: Array<[intervalSeconds: number | null, schedule: string]> = [
      [null, "*/5 * * * *"],
      [60, "* * * * *"],
      [300, "*/5 * * * *"],
      [900, "*/15 * * * *"],
      [1800, "*/30 * * * *"],
      [3600, "0 * * * *"],
      [6 * 3600, "0 */6 * * *"],
      [86_400, "0 0 * * *"],
      // Cron cannot say these exactly: the longest period not longer than the interval.
      [90, "* * * * *"],
      [119, "* * * * *"],
      [7 * 60, "*/6 * * * *"],
      [45 * 60, "*/30 * * * *"],
      [5 * 3600, "0 */4 * * *"],
      [7 * 86_400, "0 0 * * *"],
    ];
    for (const [intervalSeconds, schedule] of cases)
      assert.equal(cronSchedule(intervalSeconds), schedule, `${intervalSeconds}`);
    const cron = integrationEndpoint("https://firebreak.example.net", "heartbeat", KEY, 3600).snippets.find(
      (s) => s.id === "cron",
    );
    assert.match(cron?.text ?? "", /^0 \* \* \* \* \/path\/to\/your-job && curl /);
  });

  it("heartbeat: under a minute, no crontab line (cron runs at most once a minute)", () => {
    for (const intervalSeconds of [10, 30, 59]) assert.equal(cronSchedule(intervalSeconds), undefined);
  });

  it("heartbeat: the schedule snippet checks in once per interval, by cron or, under a minute, a loop", () => {
    const url = `https://firebreak.example.net/heartbeat/${KEY}`;
    const cases: Array<[intervalSeconds: number | null, id: string, text: RegExp]> = [
      [
        10,
        "loop",
        /^while true; do\n {2}sleep 10 &\n {2}curl -fsS --max-time 10 '[^']+' > \/dev\/null\n {2}wait\ndone\n$/,
      ],
      [30, "loop", /sleep 30 &\n {2}curl -fsS --max-time 30 /],
      [59, "loop", /sleep 59 &/],
      [60, "cron", /^\* \* \* \* \* \/path\/to\/your-job && curl -fsS --retry 3 '[^']+' > \/dev\/null\n$/],
      [90, "cron", /^\* \* \* \* \* /],
      [300, "cron", /^\*\/5 \* \* \* \* /],
      [7200, "cron", /^0 \*\/2 \* \* \* /],
      [null, "cron", /^\*\/5 \* \* \* \* /],
    ];
    for (const [intervalSeconds, id, text] of cases) {
      const snippet = heartbeatScheduleSnippet(url, intervalSeconds);
      assert.equal(snippet.id, id, `${intervalSeconds}`);
      assert.match(snippet.text, text, `${intervalSeconds}`);
      assert.ok(snippet.text.includes(url), `${intervalSeconds}: the snippet calls the heartbeat URL`);
    }
    // The title says plainly why there is no crontab line.
    assert.match(
      heartbeatScheduleSnippet(url, 30).title,
      /every 30 seconds.*cron runs at most once a minute/i,
    );
    assert.match(heartbeatScheduleSnippet(url, 300).title, /^crontab/);
  });

  it("heartbeat: the endpoint carries the loop under a minute and the crontab line from a minute up", () => {
    const ids = (intervalSeconds: number) =>
      integrationEndpoint("https://firebreak.example.net", "heartbeat", KEY, intervalSeconds).snippets.map(
        (s) => s.id,
      );
    assert.deepEqual(ids(30), ["curl", "loop"]);
    assert.deepEqual(ids(60), ["curl", "cron"]);
  });

  it("heartbeat: the loop runs in sh, passing curl the URL as one word", () => {
    const text = heartbeatScheduleSnippet("https://example.net/it's/heartbeat/k", 15).text;
    // One turn, with curl and sleep replaced by functions that say what they were given.
    const oneTurn = text.replace("while true; do", "for turn in 1; do");
    const ran = spawnSync("sh", ["-c", `sleep() { :; }; curl() { printf '%s\\n' "$@" >&2; }; ${oneTurn}`], {
      encoding: "utf8",
    });
    assert.equal(ran.status, 0, ran.stderr);
    assert.equal(ran.stderr, "-fsS\n--max-time\n15\nhttps://example.net/it's/heartbeat/k\n");
  });

  it("the Alertmanager curl test alert has no fixed start: it starts when it arrives", () => {
    assert.doesNotMatch(byId("alertmanager").get("curl") ?? "", /startsAt/);
  });

  it("shell quoting survives a quote in the URL, as sh reads it", () => {
    const text = integrationEndpoint("https://example.net/it's", "heartbeat", KEY).snippets[0]!.text;
    const argv = execFileSync(
      "sh",
      ["-c", `set -- ${text.replace(/^curl /, "").trim()}; printf '%s\\n' "$@"`],
      { encoding: "utf8" },
    );
    assert.equal(argv, `-fsS\nhttps://example.net/it's/heartbeat/${KEY}\n`);
  });
});
