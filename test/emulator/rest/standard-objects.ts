import { contentObjects } from './content';
import { auditFields, field, makeObject, readOnly, ref, type ObjectDef, type PicklistValue } from './schema-types';

/** The built-in standard and tooling objects every emulated org has. */

function picklist(values: string[], defaultValue?: string): PicklistValue[] {
  return values.map((v) => ({ value: v, label: v, active: true, defaultValue: v === defaultValue }));
}

const owner = () => ref('OwnerId', ['User'], 'Owner', { label: 'Owner ID', nillable: false });

function account(): ObjectDef {
  return makeObject({ name: 'Account', keyPrefix: '001', custom: false, api: 'data', createable: true, updateable: true, deletable: true, virtual: false }, [
    ...auditFields(),
    field('Name', 'string', { label: 'Account Name', required: true, nillable: false, nameField: true }),
    field('AccountNumber', 'string', { length: 40 }),
    field('Type', 'picklist', {
      label: 'Account Type',
      picklistValues: picklist(['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other']),
      restrictedPicklist: false,
    }),
    field('Industry', 'picklist', {
      picklistValues: picklist(['Agriculture', 'Banking', 'Education', 'Energy', 'Healthcare', 'Manufacturing', 'Retail', 'Technology', 'Other']),
      restrictedPicklist: false,
    }),
    ref('ParentId', ['Account'], 'Parent', { label: 'Parent Account ID' }),
    field('Phone', 'phone', { length: 40 }),
    field('Website', 'url', { length: 255 }),
    field('Description', 'textarea', { length: 32000, label: 'Account Description' }),
    field('AnnualRevenue', 'currency', { precision: 18, scale: 0 }),
    field('NumberOfEmployees', 'int', { label: 'Employees', precision: 8, scale: 0 }),
    owner(),
  ]);
}

function contact(): ObjectDef {
  return makeObject({ name: 'Contact', keyPrefix: '003', custom: false, api: 'data', createable: true, updateable: true, deletable: true, virtual: false }, [
    ...auditFields(),
    field('FirstName', 'string', { length: 40 }),
    field('LastName', 'string', { length: 80, required: true, nillable: false }),
    readOnly('Name', 'string', { label: 'Full Name', length: 121, nameField: true, calculated: true }),
    field('Salutation', 'picklist', { picklistValues: picklist(['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.']), restrictedPicklist: false }),
    field('Title', 'string', { length: 128 }),
    field('Email', 'email', { length: 80 }),
    field('Phone', 'phone', { length: 40 }),
    field('Birthdate', 'date'),
    ref('AccountId', ['Account'], 'Account', { label: 'Account ID' }),
    field('Description', 'textarea', { length: 32000 }),
    owner(),
  ]);
}

function user(): ObjectDef {
  const ro = { createable: false, updateable: false };
  return makeObject({ name: 'User', keyPrefix: '005', custom: false, api: 'both', createable: false, updateable: false, deletable: false, virtual: true }, [
    ...auditFields(),
    readOnly('Username', 'string', { length: 80, nillable: false }),
    readOnly('Name', 'string', { label: 'Full Name', length: 121, nameField: true }),
    readOnly('FirstName', 'string', { length: 40 }),
    readOnly('LastName', 'string', { length: 80 }),
    readOnly('Alias', 'string', { length: 8 }),
    readOnly('Email', 'email', { length: 128 }),
    readOnly('IsActive', 'boolean', { label: 'Active', nillable: false }),
    ref('ProfileId', ['Profile'], 'Profile', { label: 'Profile ID', ...ro }),
    readOnly('UserType', 'picklist', { picklistValues: picklist(['Standard']) }),
    readOnly('TimeZoneSidKey', 'picklist', { picklistValues: picklist(['GMT']) }),
    readOnly('LanguageLocaleKey', 'picklist', { picklistValues: picklist(['en_US']) }),
  ]);
}

function profile(): ObjectDef {
  return makeObject({ name: 'Profile', keyPrefix: '00e', custom: false, api: 'both', createable: false, updateable: false, deletable: false, virtual: true }, [
    ...auditFields(),
    readOnly('Name', 'string', { nameField: true }),
    readOnly('UserType', 'picklist', { picklistValues: picklist(['Standard']) }),
  ]);
}

function organization(): ObjectDef {
  return makeObject(
    { name: 'Organization', keyPrefix: '00D', custom: false, api: 'both', createable: false, updateable: false, deletable: false, virtual: true },
    [
      ...auditFields(),
      readOnly('Name', 'string', { nameField: true, length: 80 }),
      readOnly('InstanceName', 'string', { length: 5 }),
      readOnly('IsSandbox', 'boolean', { nillable: false }),
      readOnly('OrganizationType', 'picklist', { picklistValues: picklist(['Developer Edition', 'Enterprise Edition']) }),
      readOnly('TrialExpirationDate', 'datetime'),
      readOnly('NamespacePrefix', 'string', { length: 15 }),
      readOnly('Country', 'string', { length: 80 }),
      readOnly('LanguageLocaleKey', 'picklist', { picklistValues: picklist(['en_US']) }),
      readOnly('TimeZoneSidKey', 'picklist', { picklistValues: picklist(['GMT']) }),
    ],
  );
}

function apexCode(name: 'ApexClass' | 'ApexTrigger', keyPrefix: string): ObjectDef {
  return makeObject({ name, keyPrefix, custom: false, api: 'both', createable: false, updateable: false, deletable: false, virtual: true }, [
    ...auditFields(),
    readOnly('Name', 'string', { nameField: true }),
    readOnly('NamespacePrefix', 'string', { length: 15 }),
    readOnly('Body', 'textarea', { length: 1000000 }),
    readOnly('ApiVersion', 'double', { precision: 18, scale: 1 }),
    readOnly('Status', 'picklist', { picklistValues: picklist(['Active', 'Inactive', 'Deleted']) }),
    readOnly('IsValid', 'boolean', { nillable: false }),
    readOnly('LengthWithoutComments', 'int'),
    ...(name === 'ApexTrigger' ? [readOnly('TableEnumOrId', 'string', { length: 40 })] : []),
  ]);
}

/** Tooling `MetadataComponentDependency` (beta): rows computed from the stored metadata (./component-dependencies.ts). */
function metadataComponentDependency(): ObjectDef {
  const s = (name: string) => readOnly(name, 'string', { length: 255 });
  return makeObject({ name: 'MetadataComponentDependency', keyPrefix: '000', custom: false, api: 'tooling', createable: false, updateable: false, deletable: false, virtual: true }, [
    readOnly('Id', 'id'),
    ...['MetadataComponentId', 'MetadataComponentName', 'MetadataComponentNamespace', 'MetadataComponentType'].map(s),
    ...['RefMetadataComponentId', 'RefMetadataComponentName', 'RefMetadataComponentNamespace', 'RefMetadataComponentType'].map(s),
  ]);
}

/** Tooling `DeployRequest`: rows are written by the Metadata API side into the `DeployRequest` table. */
function deployRequest(): ObjectDef {
  const n = (name: string) => readOnly(name, 'int');
  const b = (name: string) => readOnly(name, 'boolean', { nillable: false });
  return makeObject({ name: 'DeployRequest', keyPrefix: '0Af', custom: false, api: 'tooling', createable: false, updateable: false, deletable: false, virtual: false }, [
    ...auditFields(),
    readOnly('Status', 'picklist', {
      picklistValues: picklist(['Pending', 'InProgress', 'FinalizingDeploy', 'FinalizingDeployFailed', 'Succeeded', 'SucceededPartial', 'Failed', 'Canceling', 'Canceled']),
    }),
    readOnly('StateDetail', 'string'),
    readOnly('Type', 'string'),
    readOnly('StartDate', 'datetime'),
    readOnly('CompletedDate', 'datetime'),
    b('CheckOnly'),
    b('IgnoreWarnings'),
    b('RollbackOnError'),
    b('RunTestsEnabled'),
    readOnly('TestLevel', 'string'),
    readOnly('ErrorMessage', 'textarea', { length: 32000 }),
    readOnly('ErrorStatusCode', 'string'),
    n('NumberComponentErrors'),
    n('NumberComponentsDeployed'),
    n('NumberComponentsTotal'),
    n('NumberTestErrors'),
    n('NumberTestsCompleted'),
    n('NumberTestsTotal'),
    ref('CanceledById', ['User'], 'CanceledBy', { createable: false, updateable: false }),
  ]);
}

/**
 * Tooling `SourceMember` (source tracking): one row per changed component, written by
 * `OrgStore.commitMetadata` (see ../source-tracking.ts). Only in orgs with source tracking.
 */
function sourceMember(): ObjectDef {
  return makeObject({ name: 'SourceMember', keyPrefix: '0MZ', custom: false, api: 'tooling', createable: false, updateable: false, deletable: false, virtual: false }, [
    ...auditFields(),
    readOnly('MemberType', 'string'),
    readOnly('MemberName', 'string'),
    readOnly('MemberIdOrName', 'string'),
    readOnly('IsNameObsolete', 'boolean', { nillable: false }),
    readOnly('IsNewMember', 'boolean', { nillable: false }),
    readOnly('RevisionCounter', 'int', { precision: 9, scale: 0 }),
    readOnly('ChangedBy', 'reference', { referenceTo: ['User'], relationshipName: null, length: 18 }),
  ]);
}

/** `PermissionSet`: one row per deployed PermissionSet component (virtual, read-only, as for profiles' own sets). */
function permissionSet(): ObjectDef {
  return makeObject({ name: 'PermissionSet', keyPrefix: '0PS', custom: false, api: 'both', createable: false, updateable: false, deletable: false, virtual: true }, [
    ...auditFields(),
    readOnly('Name', 'string', { label: 'Name', length: 80 }),
    readOnly('Label', 'string', { nameField: true, length: 80 }),
    readOnly('Description', 'textarea', { length: 255 }),
    readOnly('IsOwnedByProfile', 'boolean', { nillable: false }),
  ]);
}

/** `PermissionSetAssignment`: who holds which permission set. Inserted and deleted, never updated; one per user and set. */
function permissionSetAssignment(): ObjectDef {
  return makeObject({ name: 'PermissionSetAssignment', keyPrefix: '0Pa', custom: false, api: 'data', createable: true, updateable: false, deletable: true, virtual: false }, [
    ...auditFields(),
    ref('AssigneeId', ['User'], 'Assignee', { label: 'Assignee ID', required: true, nillable: false, updateable: false }),
    ref('PermissionSetId', ['PermissionSet'], 'PermissionSet', { label: 'Permission Set ID', required: true, nillable: false, updateable: false }),
  ]);
}

/** Fresh definitions of the built-in objects (custom fields are merged in per org). */
export function standardObjects(opts: { sourceTracking: boolean }): ObjectDef[] {
  const objects = [account(), contact(), user(), profile(), organization(), apexCode('ApexClass', '01p'), apexCode('ApexTrigger', '01q'), deployRequest(), metadataComponentDependency(), permissionSet(), permissionSetAssignment(), ...contentObjects()];
  if (opts.sourceTracking) objects.push(sourceMember());
  return objects;
}
