import type { OrgContext, RequestContext, RestReply, RestRequest } from '../context';

/** The REST API (data, tooling, oauth userinfo) of one emulated org. PLACEHOLDER. */
export class RestService {
  constructor(readonly org: OrgContext) {}

  async handle(_ctx: RequestContext, req: RestRequest): Promise<RestReply> {
    return { status: 404, body: [{ errorCode: 'NOT_FOUND', message: `not implemented: ${req.path}` }] };
  }
}
