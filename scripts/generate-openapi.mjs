// Writes docs/openapi.json: the OpenAPI document of every google.api.http
// binding in proto/, read from the generated descriptors by the same
// function servers use to answer /api/openapi.json. Run by `npm run generate`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { allFiles } from "@orchestrator/contracts";
import { createOpenapiDocument, httpBindings } from "@orchestrator/rpc";

const out = resolve(dirname(fileURLToPath(import.meta.url)), "../docs/openapi.json");
const document = createOpenapiDocument(httpBindings(allFiles.flatMap((file) => file.services)));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(document, null, 2)}\n`);
console.log(`wrote ${out}`);
