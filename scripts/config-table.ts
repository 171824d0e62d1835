// Prints the README's configuration table from the settings the server reads (src/server/config.ts).
//   npx tsx scripts/config-table.ts            print it
//   npx tsx scripts/config-table.ts --write    replace the table in README.md
import { readFileSync, writeFileSync } from "node:fs";
import { SETTINGS } from "../src/server/config.js";

const rows = SETTINGS.map(
  ([name, fallback, meaning]) =>
    `| \`${name}\` | ${fallback.startsWith("(") ? fallback : `\`${fallback}\``} | ${meaning} |`,
);
const tableText = ["| Variable | Default | Meaning |", "| --- | --- | --- |", ...rows].join("\n");

if (process.argv.includes("--write")) {
  const readme = readFileSync("README.md", "utf8");
  const start = readme.indexOf("| Variable | Default | Meaning |");
  const end = readme.indexOf("\n\n", start);
  if (start < 0 || end < 0) throw new Error("README.md has no configuration table to replace");
  writeFileSync("README.md", `${readme.slice(0, start)}${tableText}${readme.slice(end)}`);
} else {
  process.stdout.write(`${tableText}\n`);
}
