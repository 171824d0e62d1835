// Lint enforces the architecture (DESIGN.md §2): the dependency rule core ← app ← adapters ← server,
// and no clock, timer or environment reads inside src/core and src/app (time is a parameter there).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const layer = (names) => names.flatMap((n) => [`**/${n}/**`, `../${n}/*`, `./${n}/*`]);
const restrictImports = (forbiddenLayers, extra = [], message) => ({
  "no-restricted-imports": [
    "error",
    {
      patterns: [
        { group: layer(forbiddenLayers), message },
        ...(extra.length > 0
          ? [{ group: extra, message: "I/O libraries belong in the adapters, not here." }]
          : []),
      ],
    },
  ],
});

const PURE_SYNTAX = {
  "no-restricted-syntax": [
    "error",
    {
      selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
      message: "Time is a parameter here: take `now`.",
    },
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: "Time is a parameter here: take `now`.",
    },
    {
      selector: "CallExpression[callee.name=/^set(Timeout|Interval|Immediate)$/]",
      message: "No timers here: every future action is a job row.",
    },
    {
      selector: "MemberExpression[object.name='process'][property.name='env']",
      message: "Config is read once in src/server and passed in.",
    },
  ],
};

const IO_LIBS = [
  "node:fs",
  "node:fs/*",
  "node:net",
  "node:http",
  "node:https",
  "pg",
  "better-sqlite3",
  "kysely",
  "fastify",
  "pino",
];

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "node_modules/**",
      "data/**",
      "bin/**",
      "scripts/*.js",
      "eslint.config.js",
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-console": "error",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    rules: {
      ...restrictImports(
        ["app", "store", "engine", "notifiers", "http", "web", "cli", "server"],
        [...IO_LIBS, "node:crypto"],
        "src/core depends on nothing else in src/.",
      ),
      ...PURE_SYNTAX,
    },
  },
  {
    files: ["src/app/**/*.ts"],
    rules: {
      ...restrictImports(
        ["store", "engine", "notifiers", "http", "web", "cli", "server"],
        IO_LIBS,
        "src/app depends on src/core only.",
      ),
      ...PURE_SYNTAX,
    },
  },
  {
    files: ["src/store/**/*.ts"],
    rules: restrictImports(
      ["engine", "notifiers", "http", "web", "cli", "server"],
      [],
      "Adapters depend on app and core only.",
    ),
  },
  {
    files: ["src/engine/**/*.ts"],
    rules: restrictImports(
      ["store", "notifiers", "http", "web", "cli", "server"],
      [],
      "Adapters depend on app and core only.",
    ),
  },
  {
    files: ["src/notifiers/**/*.ts"],
    rules: restrictImports(
      ["store", "engine", "http", "web", "cli", "server"],
      [],
      "Adapters depend on app and core only.",
    ),
  },
  {
    files: ["src/http/**/*.ts"],
    rules: restrictImports(
      ["store", "engine", "notifiers", "web", "cli", "server"],
      [],
      "Adapters depend on app and core only.",
    ),
  },
  {
    files: ["src/web/**/*.{ts,tsx}"],
    rules: restrictImports(
      ["core", "app", "store", "engine", "notifiers", "http", "cli", "server"],
      [],
      "The console talks to the server over HTTP only.",
    ),
  },
  {
    files: ["src/cli/**/*.ts"],
    rules: restrictImports(
      ["store", "engine", "notifiers", "http", "web", "server"],
      [],
      "The CLI talks to the server through the runtime it is given.",
    ),
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts", "src/**/*.test.ts"],
    rules: { "no-console": "off", "no-restricted-syntax": "off", "no-restricted-imports": "off" },
  },
);
