import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { FIREBREAK_API_HEADER } from "../../src/core/api-identity.js";

/** One request the fake API received. */
export interface SeenRequest {
  readonly method: string;
  /** Path and query, as sent. */
  readonly url: string;
  readonly body: unknown;
}

/** A refusal the fake API answers with, as problem+json. */
export class Problem {
  constructor(
    readonly status: number,
    readonly fields: Readonly<Record<string, unknown>>,
  ) {}
}

export interface FakeApi {
  readonly url: string;
  readonly requests: SeenRequest[];
  close(): Promise<void>;
}

/**
 * A stand-in for Firebreak's REST API on 127.0.0.1: `answer` gives each request's JSON body (200), a
 * Problem, or undefined for 404 "no route". Answers carry Firebreak's API header, so the CLI takes them
 * as the real server's; they may hold text the real API would refuse, as an older or hostile one may.
 */
export async function startFakeApi(answer: (request: SeenRequest) => unknown): Promise<FakeApi> {
  const requests: SeenRequest[] = [];
  const server = createServer((req, res) => {
    let text = "";
    req.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")));
    req.on("end", () => {
      const request = {
        method: req.method ?? "GET",
        url: req.url ?? "/",
        body: text ? JSON.parse(text) : undefined,
      };
      requests.push(request);
      const given = answer(request);
      const [status, body, type] =
        given === undefined
          ? [
              404,
              { status: 404, code: "NOT_FOUND", detail: `no route ${request.method} ${request.url}` },
              "problem+json",
            ]
          : given instanceof Problem
            ? [given.status, { status: given.status, ...given.fields }, "problem+json"]
            : [200, given, "json"];
      res.writeHead(status, { "content-type": `application/${type}`, [FIREBREAK_API_HEADER]: "1" });
      res.end(JSON.stringify(body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
