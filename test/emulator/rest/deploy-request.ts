/**
 * The REST `metadata/deployRequest` resource (Metadata API over REST), on top of the org's
 * Metadata API jobs:
 *   POST   deployRequest                 multipart (`file` zip + `entity_content` {deployOptions}): deploy → 201
 *   POST   deployRequest                 JSON {validatedDeployRequestId}: quick deploy → 201 (jsforce's form)
 *   POST   deployRequest/{validationId}  quick deploy → 201 (the documented form)
 *   GET    deployRequest/{id}[?includeDetails=true]  status → 200
 *   PATCH  deployRequest/{id}            {"deployResult":{"status":"Canceling"}}: cancel → 202
 * Faults of the Metadata API become `[{errorCode, message}]` (404 for an unknown id, else 400).
 */
import { RestError, SoapFault, type RestReply } from '../context';
import { header, json, jsonBody, methodNotAllowed, notFound, type RestCall } from './call';

interface Part {
  name: string;
  contentType?: string;
  body: Buffer;
}

/** Splits a multipart/form-data body into its parts. */
export function multipartParts(body: Buffer, contentType: string): Part[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new RestError(400, 'INVALID_MULTIPART_REQUEST', 'The multipart request has no boundary');
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  while (at !== -1) {
    const start = at + delimiter.length;
    if (body.subarray(start, start + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, start);
    if (next === -1) break;
    const raw = body.subarray(start, next);
    const headerEnd = raw.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = raw.subarray(0, headerEnd).toString('utf8');
      let content = raw.subarray(headerEnd + 4);
      if (content.subarray(content.length - 2).toString() === '\r\n') content = content.subarray(0, content.length - 2);
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? '';
      const type = /content-type:\s*([^\r\n;]+)/i.exec(headers)?.[1]?.trim();
      parts.push({ name, contentType: type, body: content });
    }
    at = next;
  }
  return parts;
}

/** A Metadata API fault as a REST error. */
function restFault(e: unknown): never {
  if (e instanceof SoapFault) {
    const missing = /Invalid deploy ID|No validation found/.test(e.message);
    throw new RestError(missing ? 404 : 400, e.code, e.message);
  }
  throw e;
}

function reply(call: RestCall, id: string, status: number, includeDetails = false): RestReply {
  const deploys = call.ctx.org.deploys;
  const deployResult = deploys.deployResult(id, includeDetails);
  if (!deployResult) throw new RestError(404, 'NOT_FOUND', `No deploy request with id ${id}`);
  const info = deploys.requestInfo(id);
  return json(status, {
    id,
    url: `${call.base}/metadata/deployRequest/${id}${includeDetails ? '?includeDetails=true' : ''}`,
    validatedDeployRequestId: info?.validatedDeployRequestId ?? null,
    deployOptions: info?.deployOptions ?? null,
    deployResult,
  });
}

export function handleDeployRequest(call: RestCall, tail: string[]): RestReply {
  if (tail.length > 1) throw notFound();
  const ctx = { ...call.ctx, apiVersion: call.version };
  const deploys = call.ctx.org.deploys;
  const { method } = call.req;
  if (tail.length === 0) {
    if (method !== 'POST') throw methodNotAllowed(method, ['POST']);
    const type = header(call.req, 'content-type') ?? '';
    try {
      if (/^multipart\//i.test(type)) {
        const parts = multipartParts(call.req.body, type);
        const file = parts.find((p) => p.name === 'file') ?? parts.find((p) => p.contentType === 'application/zip');
        if (!file) throw new RestError(400, 'INVALID_MULTIPART_REQUEST', 'The request has no zip file part (file)');
        const entity = parts.find((p) => p.name === 'entity_content');
        let options: Record<string, unknown> = {};
        if (entity) {
          try {
            const parsed = JSON.parse(entity.body.toString('utf8')) as { deployOptions?: Record<string, unknown> };
            options = parsed?.deployOptions ?? {};
          } catch (e) {
            throw new RestError(400, 'JSON_PARSER_ERROR', `entity_content is not JSON: ${(e as Error).message}`);
          }
        }
        return reply(call, deploys.startDeployFromRest(ctx, file.body, options), 201);
      }
      const body = jsonBody(call.req) as { validatedDeployRequestId?: unknown };
      if (typeof body?.validatedDeployRequestId !== 'string') {
        throw new RestError(400, 'INVALID_INPUT', 'Send the zip as multipart/form-data, or validatedDeployRequestId to quick deploy a validation');
      }
      return reply(call, deploys.quickDeployFromRest(ctx, body.validatedDeployRequestId), 201);
    } catch (e) {
      return restFault(e);
    }
  }
  const id = tail[0];
  try {
    switch (method) {
      case 'GET':
        return reply(call, id, 200, call.req.query.get('includeDetails') === 'true');
      case 'POST':
        return reply(call, deploys.quickDeployFromRest(ctx, id), 201);
      case 'PATCH': {
        const body = jsonBody(call.req) as { deployResult?: { status?: unknown } };
        if (body?.deployResult?.status !== 'Canceling') {
          throw new RestError(400, 'INVALID_INPUT', 'Only {"deployResult":{"status":"Canceling"}} can be patched');
        }
        deploys.cancelFromRest(ctx, id);
        return reply(call, id, 202);
      }
      default:
        throw methodNotAllowed(method, ['GET', 'POST', 'PATCH']);
    }
  } catch (e) {
    return restFault(e);
  }
}
