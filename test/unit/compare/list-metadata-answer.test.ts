import * as assert from 'node:assert/strict';
import { castTypeUsingSchema } from '@jsforce/jsforce-node/lib/soap';
import { ApiSchemas } from '@jsforce/jsforce-node/lib/api/metadata/schema';
import { filePropertiesOf } from '../../../src/salesforce/metadata/list-metadata-call';
import { soapFaultOf } from '../../../src/salesforce/metadata/metadata-soap';

// xml2js (jsforce's XML parser) ships no types; only this call is used, as jsforce calls it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const xml2js = require('xml2js') as { parseStringPromise(xml: string, opts: { explicitArray: boolean }): Promise<unknown> };

const ENVELOPE = (body: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;

function record(fullName: string, extra = ''): string {
  return (
    '<result><createdById>005000000000001AAA</createdById><createdByName>Ada Admin</createdByName>' +
    '<createdDate>2024-01-01T00:00:00.000Z</createdDate>' +
    `<fileName>classes/${fullName}.cls</fileName><fullName>${fullName}</fullName><id>01p000000000001AAA</id>` +
    '<lastModifiedById>005000000000001AAA</lastModifiedById><lastModifiedByName>Ada Admin</lastModifiedByName>' +
    '<lastModifiedDate>2024-03-04T05:06:07.000Z</lastModifiedDate><manageableState>unmanaged</manageableState>' +
    `${extra}<namespacePrefix xsi:nil="true"/><type>ApexClass</type></result>`
  );
}

/** What jsforce's own metadata.list returns for an answer (xml2js, then its schema cast). */
async function asJsforceReadsIt(xml: string): Promise<Array<Record<string, unknown>>> {
  const parsed = (await xml2js.parseStringPromise(xml, { explicitArray: false })) as Record<string, Record<string, Record<string, unknown>>>;
  const response = parsed['soapenv:Envelope']['soapenv:Body'].listMetadataResponse as Record<string, unknown>;
  const res = castTypeUsingSchema(response, { result: [ApiSchemas.FileProperties] }, ApiSchemas) as { result: Array<Record<string, unknown>> };
  return res.result;
}

/** The same records without the fields jsforce returns empty or null (the reader leaves them out). */
function withoutEmpty(records: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return records.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => typeof v === 'string' && v !== '')));
}

describe('listMetadata answers read without jsforce\u2019s XML parsing', () => {
  it('reads the records as jsforce does: every text field, nil fields left out, entities decoded', async () => {
    const xml = ENVELOPE(`<listMetadataResponse>${record('Alpha')}${record('R&amp;D_Helper')}${record('Caf&#233;_&#x41;')}</listMetadataResponse>`);
    const mine = filePropertiesOf(xml);
    assert.equal(mine.length, 3);
    assert.deepEqual(mine, withoutEmpty(await asJsforceReadsIt(xml)));
    assert.deepEqual(
      mine.map((r) => r.fullName),
      ['Alpha', 'R&D_Helper', 'Café_A'],
    );
    assert.equal(mine[0].lastModifiedDate, '2024-03-04T05:06:07.000Z');
    assert.equal('namespacePrefix' in mine[0], false);
  });

  it('reads an empty answer as no records, and one record as a list of one', async () => {
    assert.deepEqual(filePropertiesOf(ENVELOPE('<listMetadataResponse/>')), []);
    assert.deepEqual(filePropertiesOf(ENVELOPE('<listMetadataResponse></listMetadataResponse>')), []);
    const one = ENVELOPE(`<listMetadataResponse>${record('Solo')}</listMetadataResponse>`);
    assert.deepEqual(filePropertiesOf(one), withoutEmpty(await asJsforceReadsIt(one)));
  });

  it('reads answers the quick reader does not handle (CDATA, comments, layout) through the full parser, with the same result', async () => {
    const plain = ENVELOPE(`<listMetadataResponse>${record('Beta')}</listMetadataResponse>`);
    const cdata = plain.replace('<fullName>Beta</fullName>', '<fullName><![CDATA[Beta]]></fullName>');
    const commented = plain.replace('<type>', '<!-- a comment --><type>');
    const indented = plain.replace(/></g, '>\n  <');
    const expected = filePropertiesOf(plain);
    assert.equal(expected[0].fullName, 'Beta');
    for (const variant of [cdata, commented, indented]) assert.deepEqual(filePropertiesOf(variant), expected);
  });

  it('refuses an answer that is not a listMetadata answer', () => {
    assert.throws(() => filePropertiesOf(ENVELOPE('<describeMetadataResponse><result/></describeMetadataResponse>')), /Unexpected listMetadata answer/);
    assert.throws(() => filePropertiesOf('<html><body>Service Unavailable</body></html>'), /Unexpected listMetadata answer/);
  });

  it('reads a SOAP fault as jsforce reports it (code and message)', () => {
    const fault = ENVELOPE(
      '<soapenv:Fault><faultcode>sf:INVALID_TYPE</faultcode><faultstring>INVALID_TYPE: Unknown type: Nope</faultstring></soapenv:Fault>',
    );
    assert.deepEqual(soapFaultOf(fault), { errorCode: 'sf:INVALID_TYPE', message: 'INVALID_TYPE: Unknown type: Nope' });
    const none = soapFaultOf('not xml <');
    assert.equal(none.errorCode, undefined);
    assert.equal(none.message, undefined);
  });
});
