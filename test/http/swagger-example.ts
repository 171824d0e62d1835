/**
 * The request body Swagger UI (/docs) fills in for an operation of /openapi.json: the media type's
 * `examples` (the first) or `example`, else a sample made from the schema as its sampler makes one
 * (a property's example, default, const or first enum value, else a value of its type or format).
 */

type Schema = Record<string, unknown>;

interface MediaType {
  readonly schema?: Schema;
  readonly example?: unknown;
  readonly examples?: Record<string, { value?: unknown }>;
}

export interface Operation {
  readonly tags?: readonly string[];
  readonly security?: ReadonlyArray<Record<string, unknown>>;
  readonly requestBody?: { content?: Record<string, MediaType> };
}

const FORMAT_SAMPLES: Record<string, () => string> = {
  "date-time": () => new Date().toISOString(),
  date: () => new Date().toISOString().slice(0, 10),
  uri: () => "https://example.com/",
  url: () => "https://example.com/",
  email: () => "user@example.com",
  uuid: () => "3fa85f64-5717-4562-b3fc-2c963f66afa6",
};

/** A `#/…` reference followed within the document. */
function resolved(schema: Schema, document: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  let at: unknown = document;
  for (const key of ref.replace(/^#\//, "").split("/")) at = (at as Record<string, unknown>)[key];
  if (typeof at !== "object" || at === null) throw new Error(`unresolved ${ref}`);
  return resolved(at as Schema, document);
}

const typeOf = (schema: Schema): string | undefined => {
  const type = Array.isArray(schema.type)
    ? (schema.type as string[])[0]
    : (schema.type as string | undefined);
  if (type !== undefined) return type;
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return "object";
  if (schema.items !== undefined) return "array";
  return undefined;
};

/** Swagger UI's sample of a JSON Schema (2020-12, as OpenAPI 3.1 has it), in its order of preference. */
export function sampleFromSchema(given: Schema, document: Schema = {}): unknown {
  const schema = resolved(given, document);
  const sample = (inner: Schema) => sampleFromSchema(inner, document);
  if (schema.example !== undefined) return schema.example;
  if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
  const first = ((schema.oneOf ?? schema.anyOf) as Schema[] | undefined)?.[0];
  if (first) return sample(first);
  switch (typeOf(schema)) {
    case "object": {
      const made: Record<string, unknown> = {};
      for (const [name, property] of Object.entries((schema.properties ?? {}) as Record<string, Schema>))
        if (property.readOnly !== true) made[name] = sample(property);
      const extra = schema.additionalProperties;
      if (typeof extra === "object" && extra !== null)
        for (const n of [1, 2, 3]) made[`additionalProp${n}`] = sample(extra as Schema);
      return made;
    }
    case "array":
      return [sample((schema.items ?? {}) as Schema)];
    case "string":
      return FORMAT_SAMPLES[schema.format as string]?.() ?? "string";
    case "integer":
    case "number":
      return (schema.minimum as number | undefined) ?? 0;
    case "boolean":
      return true;
    case "null":
      return null;
    default:
      return {};
  }
}

/** The JSON body Swagger UI sends for the operation of `document`; undefined when it has no request body. */
export function swaggerExampleBody(operation: Operation, document: Schema = {}): unknown {
  const media = operation.requestBody?.content?.["application/json"];
  if (!media) return undefined;
  const named = media.examples ? Object.values(media.examples)[0]?.value : undefined;
  if (named !== undefined) return named;
  if (media.example !== undefined) return media.example;
  return sampleFromSchema(media.schema ?? {}, document);
}
