import * as assert from 'node:assert/strict';
import { deployStatusOf } from '../../../src/salesforce/metadata/deploy-status-call';
import { soapXmlParser } from '../../../src/salesforce/metadata/metadata-soap';

const answer = (details: string) =>
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="http://soap.sforce.com/2006/04/metadata" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  '<soapenv:Body><checkDeployStatusResponse><result><done>true</done><id>0Af000000000001AAA</id><numberComponentsDeployed>2</numberComponentsDeployed><status>Succeeded</status><success>true</success>' +
  `<details>${details}</details></result></checkDeployStatusResponse></soapenv:Body></soapenv:Envelope>`;

const success = (name: string, extra = '') =>
  `<componentSuccesses><changed>true</changed><componentType>ApexClass</componentType><created>false</created><deleted>false</deleted><fileName>classes/${name}.cls</fileName><fullName>${name}</fullName><id xsi:nil="true"/><problem/>${extra}<success>true</success></componentSuccesses>`;

/** What the general parser alone makes of the answer (the reference). */
function parsedWhole(xml: string): Record<string, unknown> {
  const r = (soapXmlParser().parse(xml) as { Envelope: { Body: { checkDeployStatusResponse: { result: Record<string, unknown> } } } }).Envelope.Body.checkDeployStatusResponse.result;
  const d = r.details as Record<string, unknown>;
  const list = d.componentSuccesses;
  const strip = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string' && v !== ''));
  return { ...r, details: { ...d, componentSuccesses: (Array.isArray(list) ? list : [list]).map((o) => strip(o as Record<string, unknown>)) } };
}

describe('salesforce: a deploy status answer read as text', () => {
  it('reads the component successes, the failures and the counts as the general parser does', () => {
    const failure = '<componentFailures><componentType>ApexClass</componentType><fullName>Broken</fullName><lineNumber>3</lineNumber><problem>Unexpected token &apos;}&apos;</problem><problemType>Error</problemType><success>false</success></componentFailures>';
    const xml = answer(success('Greeter') + success('A&amp;B') + failure);
    const got = deployStatusOf(xml)!;
    assert.deepEqual(got, parsedWhole(xml));
    const d = got.details as { componentSuccesses: Array<Record<string, string>>; componentFailures: Record<string, string> };
    assert.deepEqual(d.componentSuccesses.map((s) => s.fullName), ['Greeter', 'A&B']);
    assert.equal(d.componentSuccesses[0].id, undefined, 'a nil property is left out');
    assert.equal(d.componentFailures.problem, "Unexpected token '}'");
    assert.equal(got.numberComponentsDeployed, '2');
  });

  it('a success record that is not flat goes through the general parser whole', () => {
    const xml = answer(success('Greeter', '<nested><x>1</x></nested>') + success('Other'));
    const got = deployStatusOf(xml)!;
    const list = (got.details as { componentSuccesses: Array<Record<string, unknown>> }).componentSuccesses;
    assert.equal(list.length, 2);
    assert.deepEqual(list[0].nested, { x: '1' });
  });

  it('an answer without details (counts only) and one that is no status', () => {
    const counts = answer('').replace('<details></details>', '');
    assert.equal(deployStatusOf(counts)!.status, 'Succeeded');
    assert.equal(deployStatusOf('<soapenv:Envelope xmlns:soapenv="x"><soapenv:Body/></soapenv:Envelope>'), undefined);
  });
});
