// The ceiling that HTTP alone sets on ingest: a Fastify route (the server's framework) that reads the
// JSON body of `/api/v2/alerts` and answers 200, stores nothing, driven by the alerts bench's own load
// generator on the same cores. If Firebreak's ingest is far below it, the time goes to Firebreak's
// own work, not to the protocol or the client.
//   npx tsx bench/support/http-floor.ts
import Fastify from "fastify";
import { driveFloor } from "./floor-driver.js";

if (process.argv[2] === "serve") {
  const app = Fastify({ logger: false });
  app.post("/api/v2/alerts", async (request, reply) => {
    if (!Array.isArray(request.body)) return reply.code(400).send("body is not a list of alerts");
    return reply.code(200).send("");
  });
  const address = await app.listen({ port: 0, host: "127.0.0.1" });
  process.send?.(address);
} else {
  await driveFloor(process.argv[1]!, "/api/v2/alerts", "no-op Fastify route");
}
