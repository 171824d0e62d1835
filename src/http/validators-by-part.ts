import { createRequire } from "node:module";
import type { FastifyServerOptions } from "fastify";

type CompilersFactory = NonNullable<
  NonNullable<FastifyServerOptions["schemaController"]>["compilersFactory"]
>;
type ValidatorFactory = NonNullable<CompilersFactory["buildValidator"]>;

// What Fastify passes at run time (docs/Reference/Server.md, schemaController); its typings say the
// compiler takes a bare schema, so the factory is handed over cast to them.
interface RouteSchema {
  readonly schema: unknown;
  readonly httpPart?: string;
}
type Compile = (route: RouteSchema) => unknown;
interface AjvServerOptions {
  readonly customOptions?: Readonly<Record<string, unknown>>;
  readonly plugins?: readonly unknown[];
}
type Factory = (externalSchemas: unknown, options: AjvServerOptions) => Compile;

/**
 * How every route's input schema is checked: ajv with `allErrors` (every bad field at once) and
 * `removeAdditional: false` (an unknown field is refused, not dropped). Query strings, path parameters
 * and headers arrive as text, so they are coerced to the schema's types ("20" → 20, "true" → true,
 * one value → a list); a JSON body carries its own types and is taken as sent: `{"name": 123}` is a
 * 400 "name must be text", not a service named "123".
 */
export const AJV_OPTIONS = {
  customOptions: { allErrors: true, coerceTypes: "array", removeAdditional: false },
} as const satisfies FastifyServerOptions["ajv"];

// Fastify's own validator factory (ajv, ajv-formats, its defaults such as useDefaults), loaded from
// where Fastify loads it, so both kinds of part are checked exactly as Fastify would check them.
const fromFastify = createRequire(createRequire(import.meta.url).resolve("fastify"));
const fastifyAjvCompiler = fromFastify("@fastify/ajv-compiler") as () => Factory;

/**
 * Fastify's `schemaController.compilersFactory.buildValidator` that compiles a route's body schema
 * with the server's `ajv` options (AJV_OPTIONS) less type coercion, and its querystring, params and
 * headers schemas with them as they are. One per app, as Fastify keeps its default one per app.
 * Under a custom factory Fastify no longer lower-cases a headers schema's names: write them in lower case.
 */
export function validatorsByPart(): ValidatorFactory {
  const pool = fastifyAjvCompiler();
  const factory: Factory = (externalSchemas, options) => {
    const forText = pool(externalSchemas, options);
    const forBodies = pool(externalSchemas, {
      ...options,
      customOptions: { ...options.customOptions, coerceTypes: false },
    });
    return (route) => (route.httpPart === "body" ? forBodies : forText)(route);
  };
  return factory as unknown as ValidatorFactory;
}
