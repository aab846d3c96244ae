import * as assert from 'node:assert/strict';
import { RestError, type RestRequest } from '../../../test/emulator/context';
import { isMultipart, multipartRecord } from '../../../test/emulator/rest/multipart';

function request(body: Buffer, contentType = 'multipart/form-data; boundary=XyZ'): RestRequest {
  return { method: 'POST', path: '/services/data/v62.0/sobjects/ContentVersion', query: new URLSearchParams(), headers: { 'content-type': contentType }, body };
}

const part = (headers: string[], content: Buffer | string) => Buffer.concat([Buffer.from(`--XyZ\r\n${headers.join('\r\n')}\r\n\r\n`), Buffer.from(content), Buffer.from('\r\n')]);

describe('emulator: multipart blob inserts', () => {
  it('reads the JSON fields and each binary part as its field, bytes intact (CRLF and dashes included)', () => {
    const bytes = Buffer.from([0x0d, 0x0a, 0x2d, 0x2d, 0x58, 0x00, 0xff, 0x0d, 0x0a]);
    const body = Buffer.concat([
      part(['Content-Disposition: form-data; name="ContentVersion"', 'Content-Type: application/json'], JSON.stringify({ PathOnClient: 'p.zip', Title: 'p' })),
      part(['Content-Disposition: form-data; name="VersionData"; filename="p.zip"', 'Content-Type: application/zip'], bytes),
      Buffer.from('--XyZ--\r\n'),
    ]);
    const req = request(body);
    assert.equal(isMultipart(req), true);
    const rec = multipartRecord(req);
    assert.deepEqual(Object.keys(rec).sort(), ['PathOnClient', 'Title', 'VersionData']);
    assert.ok(Buffer.from(String(rec.VersionData), 'base64').equals(bytes));
  });

  it('refuses a body without the JSON part, without a boundary, or without its closing boundary', () => {
    const blobOnly = Buffer.concat([part(['Content-Disposition: form-data; name="VersionData"'], 'x'), Buffer.from('--XyZ--\r\n')]);
    assert.throws(() => multipartRecord(request(blobOnly)), (e: RestError) => e.errorCode === 'JSON_PARSER_ERROR' && /no JSON part/.test(e.message));
    assert.throws(() => multipartRecord(request(blobOnly, 'multipart/form-data')), /needs a boundary/);
    assert.throws(() => multipartRecord(request(part(['Content-Type: application/json'], '{}'))), /without its closing boundary/);
  });
});
