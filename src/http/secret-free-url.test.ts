import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { secretFreeUrl } from "./secret-free-url.js";

const KEY = "HsSO6XgpQk2v9mT1";

describe("secretFreeUrl: the URL as it may be logged and echoed", () => {
  it("cuts every path that carries a secret, at the secret", () => {
    const cut: Array<[string, string]> = [
      [`/integrations/webhook/${KEY}`, "/integrations/webhook/<secret>"],
      [`/integrations/alertmanager/${KEY}%C0%AF`, "/integrations/alertmanager/<secret>"],
      // A kind Firebreak does not serve at that path is still a key a sender put there.
      [`/integrations/prometheus/${KEY}`, "/integrations/prometheus/<secret>"],
      [`/int/${KEY}/api/v2/alerts`, "/int/<secret>/api/v2/alerts"],
      [`/int/${KEY}/-/healthy`, "/int/<secret>/-/healthy"],
      [`/heartbeat/${KEY}`, "/heartbeat/<secret>"],
      [`/heartbeat//${KEY}`, "/heartbeat//<secret>"],
      [`/actions/${KEY}.sig`, "/actions/<secret>"],
      [`/api/v1/calendars/fbc_${KEY}.ics`, "/api/v1/calendars/<secret>"],
      [`http://firebreak.example/heartbeat/${KEY}`, "http://firebreak.example/heartbeat/<secret>"],
    ];
    for (const [url, expected] of cut) assert.equal(secretFreeUrl(url), expected, url);
  });

  it("cuts secret query parameters, after ? or #", () => {
    assert.equal(secretFreeUrl(`/status/acme?token=${KEY}&x=1`), "/status/acme?token=<secret>&x=1");
    assert.equal(
      secretFreeUrl(`/status/acme/unsubscribe?token=a&token=${KEY}`),
      "/status/acme/unsubscribe?token=<secret>&token=<secret>",
    );
    assert.equal(secretFreeUrl(`/welcome#token=${KEY}`), "/welcome#token=<secret>");
  });

  it("reads an escaped letter as the router does, so /h%65artbeat/<key> is cut too", () => {
    assert.equal(secretFreeUrl(`/h%65artbeat/${KEY}`), "/heartbeat/<secret>");
    assert.equal(secretFreeUrl(`/%69nt/${KEY}/api/v2/alerts`), "/int/<secret>/api/v2/alerts");
    assert.equal(secretFreeUrl(`/status/acme?t%6Fken=${KEY}`), "/status/acme?token=<secret>");
    // Escapes of delimiters stay escaped: decoding them would change where a segment ends.
    assert.equal(secretFreeUrl("/api/v1/services/a%2Fb%3Fc%25"), "/api/v1/services/a%2Fb%3Fc%25");
  });

  it("leaves the API's integration ids and actions alone: they are no secrets", () => {
    for (const action of ["rotate-key", "enable", "disable"]) {
      const url = `/api/v1/integrations/01J8Z5K2Q9/${action}`;
      assert.equal(secretFreeUrl(url), url);
      assert.equal(secretFreeUrl(`${url}?x=1`), `${url}?x=1`);
    }
    for (const url of [
      "/api/v1/integrations/01J8Z5K2Q9",
      "/api/v1/services/checkout/integrations",
      "/api/v1/schedules/primary/calendar-feed",
      "/status/acme/incidents/42",
    ])
      assert.equal(secretFreeUrl(url), url);
  });
});
