// `npm run api:gen`: writes web/src/api/schema.d.ts, the API client's types, from the OpenAPI
// document buildApp() publishes. No server is started and no database is needed.
import fs from 'node:fs';
import path from 'node:path';
import { openApiDocument } from '../src/http/openapi-document.js';
import { API_SCHEMA_PATH, openApiTypes } from '../src/http/openapi-types.js';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const target = path.join(root, API_SCHEMA_PATH);
const text = await openApiTypes(await openApiDocument());
fs.mkdirSync(path.dirname(target), { recursive: true });
const unchanged = fs.existsSync(target) && fs.readFileSync(target, 'utf8') === text;
if (!unchanged) fs.writeFileSync(target, text);
console.log(`${API_SCHEMA_PATH} ${unchanged ? 'is up to date' : 'written'}`);
