import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { OpenAPI3 } from 'openapi-typescript';
import { openApiDocument } from '../src/http/openapi-document.js';
import { API_SCHEMA_PATH, openApiTypes } from '../src/http/openapi-types.js';

const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));

/**
 * Response fields that hold free-form JSON on purpose (an entitlement payload, audit data, an
 * audit_log detail). Each must still be typed as an object; every other object in a response must
 * list its properties. Add a name here only for a JSON column whose keys are the caller's.
 */
const FREE_FORM_FIELDS = new Set(['payload', 'before', 'after', 'meta', 'detail']);

type Schema = Record<string, unknown>;

const isSchema = (value: unknown): value is Schema => typeof value === 'object' && value !== null && !Array.isArray(value);
const SAYS_WHAT_IT_IS = ['type', '$ref', 'anyOf', 'oneOf', 'allOf', 'enum', 'const', 'not'];
const isOpen = (additional: unknown) => additional === true || (isSchema(additional) && Object.keys(additional).length === 0);

/** Every place in `schema` where a response is not exact: an untyped schema or an open object. */
function openPlaces(document: OpenAPI3, schema: unknown, where: string, field?: string): string[] {
  if (!isSchema(schema)) return [`${where}: not a schema`];
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return openPlaces(document, document.components?.schemas?.[name], `${where} (${name})`, field);
  }
  if (!SAYS_WHAT_IT_IS.some((key) => key in schema)) return [`${where}: untyped schema ${JSON.stringify(schema)}`];
  const found: string[] = [];
  // An object is exact when it says no other keys come (additionalProperties: false) or types its
  // values (a map); only the named free-form JSON fields may take any keys.
  const freeForm = field !== undefined && FREE_FORM_FIELDS.has(field);
  if (schema.type === 'object' && !freeForm && (schema.additionalProperties === undefined || isOpen(schema.additionalProperties))) {
    found.push(`${where}: open object ${JSON.stringify(schema)}`);
  }
  if (isSchema(schema.properties)) {
    for (const [name, child] of Object.entries(schema.properties)) found.push(...openPlaces(document, child, `${where}.${name}`, name));
  }
  if ('items' in schema) found.push(...openPlaces(document, schema.items, `${where}[]`));
  if (isSchema(schema.additionalProperties) && !isOpen(schema.additionalProperties)) {
    found.push(...openPlaces(document, schema.additionalProperties, `${where}{}`));
  }
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key];
    if (Array.isArray(branches)) branches.forEach((branch, i) => found.push(...openPlaces(document, branch, `${where}|${key}[${i}]`, field)));
  }
  return found;
}

describe('the API client types (web/src/api/schema.d.ts)', () => {
  let document: OpenAPI3;
  before(async () => {
    document = await openApiDocument();
  });

  it('are the generated text of the current routes (npm run api:gen)', async () => {
    const expected = await openApiTypes(document);
    const file = path.join(root, API_SCHEMA_PATH);
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    assert.ok(committed === expected, `${API_SCHEMA_PATH} is stale: run npm run api:gen`);
  });

  it('come from a document where every 2xx response is exact: no untyped schema, no open object but the named JSON fields', () => {
    const found: string[] = [];
    let responses = 0;
    for (const [url, item] of Object.entries(document.paths ?? {})) {
      for (const [method, operation] of Object.entries(item as Record<string, unknown>)) {
        if (!isSchema(operation) || !isSchema(operation.responses)) continue;
        for (const [status, response] of Object.entries(operation.responses)) {
          if (!/^2\d\d$/.test(status)) continue;
          const where = `${method.toUpperCase()} ${url} ${status}`;
          const content = isSchema(response) && isSchema(response.content) ? response.content : {};
          if (Object.keys(content).length === 0) found.push(`${where}: no content schema`);
          for (const [type, media] of Object.entries(content)) {
            responses++;
            found.push(...openPlaces(document, isSchema(media) ? media.schema : undefined, `${where} ${type}`));
          }
        }
      }
    }
    assert.ok(responses > 20, `only ${responses} success responses found: is the document built?`);
    assert.deepEqual(found, [], `responses that are not exact:\n  ${found.join('\n  ')}`);
  });
});
