/** `listMetadata` and `describeMetadata`. */
import { SoapFault, type OrgContext } from '../context';
import { contentTypeOfFolder, describeObjects, metadataType } from './registry';
import { fileProperties, type FileProperties } from './retrieve';

const MAX_QUERIES = 3;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

export function listMetadata(org: OrgContext, payload: Record<string, unknown>): FileProperties[] {
  const raw = payload.queries;
  const queries = (Array.isArray(raw) ? raw : raw ? [raw] : []) as unknown[];
  if (queries.length === 0) throw new SoapFault('INVALID_ARGUMENT', 'listMetadata needs at least one ListMetadataQuery');
  if (queries.length > MAX_QUERIES) throw new SoapFault('INVALID_ARGUMENT', `listMetadata accepts at most ${MAX_QUERIES} queries per call`);
  const out: FileProperties[] = [];
  for (const q of queries) {
    const type = str((q as Record<string, unknown> | undefined)?.type);
    if (!type) throw new SoapFault('INVALID_ARGUMENT', 'Each ListMetadataQuery needs a type');
    const t = metadataType(type);
    if (!t) throw new SoapFault('INVALID_TYPE', `Unknown type: ${type}`);
    const folder = str((q as Record<string, unknown>).folder);
    let comps = org.store.listComponents(type);
    if (t.inFolder) {
      // Foldered types list the content of one folder; without a folder Salesforce lists nothing.
      comps = folder ? comps.filter((c) => c.fullName.startsWith(`${folder}/`)) : [];
    } else if (contentTypeOfFolder(type) && folder) {
      comps = comps.filter((c) => c.fullName === folder);
    }
    for (const c of comps) out.push(fileProperties(org, c));
  }
  return out;
}

export function describeMetadata(org: OrgContext): Record<string, unknown> {
  return {
    metadataObjects: describeObjects(),
    organizationNamespace: '',
    partialSaveAllowed: true,
    testRequired: !org.store.identity.isSandbox,
  };
}
