import assert from "node:assert/strict";
import type { Api } from "../../src/http/api-instance.js";

/** Helpers for status-page tests: admin calls over HTTP with an API key. */

export interface StatusAdmin {
  readonly http: Api;
  readonly key: string;
  call<T = Record<string, unknown>>(
    method: "GET" | "POST" | "PATCH" | "DELETE",
    url: string,
    payload?: unknown,
    expected?: number,
  ): Promise<T>;
}

export function statusAdmin(http: Api, key: string): StatusAdmin {
  return {
    http,
    key,
    async call(method, url, payload, expected) {
      const res = await http.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}` },
        ...(payload !== undefined && { payload: payload as Record<string, unknown> }),
      });
      const want = expected ?? (method === "POST" ? 201 : method === "DELETE" ? 204 : 200);
      assert.equal(res.statusCode, want, `${method} ${url}: ${res.statusCode} ${res.body}`);
      return (res.body === "" ? undefined : res.json()) as never;
    },
  };
}

/** A page with one group, two components (the first linked to `serviceIds`). */
export async function makePage(
  admin: StatusAdmin,
  options: { slug: string; serviceIds?: string[]; customDomain?: string; private?: boolean },
): Promise<{ pageId: string; groupId: string; apiId: string; webId: string; secretLinkToken?: string }> {
  const page = await admin.call<{ id: string; secretLinkToken?: string }>("POST", "/api/v1/status-pages", {
    slug: options.slug,
    title: "Acme",
    ...(options.customDomain && { customDomain: options.customDomain }),
    ...(options.private && { private: true }),
  });
  const group = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.id}/groups`, {
    name: "Platform",
  });
  const api = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.id}/components`, {
    name: "API",
    groupId: group.id,
    serviceIds: options.serviceIds ?? [],
  });
  const web = await admin.call<{ id: string }>("POST", `/api/v1/status-pages/${page.id}/components`, {
    name: "Website",
    description: "The marketing site",
  });
  return {
    pageId: page.id,
    groupId: group.id,
    apiId: api.id,
    webId: web.id,
    ...(page.secretLinkToken && { secretLinkToken: page.secretLinkToken }),
  };
}
