import * as assert from 'node:assert/strict';
import { sourceLanguage } from '../../../src/core/source-languages';

const BUILT_IN = ['plaintext', 'tex', 'latex', 'java', 'html', 'xml', 'javascript'];

describe('language modes of Salesforce source files in diffs', () => {
  it('shows Apex classes and triggers as Apex when an Apex extension provides it', () => {
    const withApex = [...BUILT_IN, 'apex', 'visualforce'];
    assert.equal(sourceLanguage('/UAT/classes/InvoiceService.cls', withApex, 'apex'), undefined, 'already Apex: nothing to change');
    assert.equal(sourceLanguage('/UAT/classes/InvoiceService.cls', withApex, 'tex'), 'apex');
    assert.equal(sourceLanguage('/UAT/triggers/InvoiceTrigger.trigger', withApex, 'plaintext'), 'apex');
    assert.equal(sourceLanguage('/UAT/pages/Invoice.page', withApex, 'plaintext'), 'visualforce');
  });

  it('falls back to Java (and HTML for Visualforce) without one, never TeX', () => {
    assert.equal(sourceLanguage('/UAT/classes/InvoiceService.cls', BUILT_IN, 'tex'), 'java');
    assert.equal(sourceLanguage('/UAT/classes/InvoiceService.cls', BUILT_IN), 'java');
    assert.equal(sourceLanguage('/UAT/triggers/T.TRIGGER', BUILT_IN, 'plaintext'), 'java');
    assert.equal(sourceLanguage('/UAT/components/Box.component', BUILT_IN, 'plaintext'), 'html');
  });

  it('keeps a mode the user chose, and leaves other files alone', () => {
    assert.equal(sourceLanguage('/UAT/classes/A.cls', BUILT_IN, 'xml'), undefined, 'files.associations chose it');
    assert.equal(sourceLanguage('/UAT/classes/A.cls-meta.xml', BUILT_IN, 'xml'), undefined);
    assert.equal(sourceLanguage('/UAT/lwc/card/card.js', BUILT_IN, 'javascript'), undefined);
    assert.equal(sourceLanguage('/UAT/staticresources/README', BUILT_IN, 'plaintext'), undefined);
  });
});
