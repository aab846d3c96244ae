import type { OrgContext, RequestContext } from '../context';

/** The Metadata API (SOAP) of one emulated org. PLACEHOLDER: replaced by the metadata implementation. */
export class MetadataService {
  constructor(readonly org: OrgContext) {}

  /** Handles one SOAP operation; returns the inner XML of `<{operation}Response>`; throws SoapFault. */
  async handle(_ctx: RequestContext, operation: string, _payload: Record<string, unknown>): Promise<string> {
    throw new Error(`not implemented: ${operation}`);
  }

  /** Forget in-flight jobs (on reset/stop). */
  dispose(): void {}
}
