/**
 * Which repeated XML elements of Salesforce metadata are SETS (their order carries no meaning),
 * keyed by metadata type, i.e. by the root element of the file (`<PermissionSet>`,
 * `<CustomField>`, …). In source format a component may have several files whose roots differ
 * (an object's `.object-meta.xml` is `<CustomObject>`, its `fields/*.field-meta.xml` are
 * `<CustomField>`), so keying by root element is what applies the right rules to each file.
 *
 * How it is used (see xml-canonical.ts): before comparing, the children of every element are
 * grouped by element name (Metadata API XML maps to objects whose properties are scalars or
 * lists, so the order BETWEEN different property names is never meaningful), keeping the order
 * WITHIN a name — except for the element paths listed here, whose entries are sorted by `key`.
 *
 * - `path`: element names from the root down, `/`-separated, root excluded
 *   (`'fieldPermissions'`, `'recordTypes/picklistValues'`).
 * - `key`: child elements that identify an entry, compared in that order. An entry with none of
 *   them (or a text-only entry such as `<members>Foo</members>`) is keyed by its whole canonical
 *   form. Entries with equal keys are ordered by their whole canonical form, so the result never
 *   depends on the input order.
 *
 * Order is deliberately KEPT (not listed here) where Salesforce uses it: layout sections,
 * columns and items; picklist values (`valueSet/valueSetDefinition/value`, global and standard
 * value sets); list view `columns` and `filters` (`booleanFilter` refers to filters by
 * position); flow `processMetadataValues`, decision `rules`, screen `fields`; assignment,
 * escalation and auto-response `ruleEntry` (evaluated in order); application `tabs` and
 * navigation; and all code (Apex, Visualforce, LWC, Aura), which is compared as text.
 *
 * To extend: add a rule with a `why`; a unit test in test/unit/compare/normalize.test.ts checks
 * that every rule has one.
 */

export interface UnorderedRule {
  /** Element path below the root, `/`-separated. */
  readonly path: string;
  /** Identifying child elements; empty means "the whole entry". */
  readonly key: readonly string[];
  /** Why the order of these entries does not matter. */
  readonly why: string;
}

const ACCESS = 'an access grant; Salesforce applies the union of grants, listing order is irrelevant';

/** Entries shared by profiles and permission sets. */
const PERMISSION_ENTRIES: readonly UnorderedRule[] = [
  { path: 'applicationVisibilities', key: ['application'], why: ACCESS },
  { path: 'classAccesses', key: ['apexClass'], why: ACCESS },
  { path: 'customMetadataTypeAccesses', key: ['name'], why: ACCESS },
  { path: 'customPermissions', key: ['name'], why: ACCESS },
  { path: 'customSettingAccesses', key: ['name'], why: ACCESS },
  { path: 'externalDataSourceAccesses', key: ['externalDataSource'], why: ACCESS },
  { path: 'fieldPermissions', key: ['field'], why: ACCESS },
  { path: 'flowAccesses', key: ['flow'], why: ACCESS },
  { path: 'objectPermissions', key: ['object'], why: ACCESS },
  { path: 'pageAccesses', key: ['apexPage'], why: ACCESS },
  { path: 'recordTypeVisibilities', key: ['recordType'], why: ACCESS },
  { path: 'userPermissions', key: ['name'], why: ACCESS },
];

const PROFILE_ONLY: readonly UnorderedRule[] = [
  { path: 'tabVisibilities', key: ['tab'], why: 'one visibility setting per tab; tab order is set by the app, not here' },
  {
    path: 'layoutAssignments',
    key: ['layout', 'recordType'],
    why: 'one assignment per (layout, record type) pair; looked up, never iterated in order',
  },
  { path: 'loginIpRanges', key: ['startAddress', 'endAddress'], why: 'allowed IP ranges form a set' },
  { path: 'categoryGroupVisibilities', key: ['dataCategoryGroup'], why: ACCESS },
  { path: 'profileActionOverrides', key: [], why: 'one override per action/record type; looked up, not ordered' },
];

const PERMISSION_SET_ONLY: readonly UnorderedRule[] = [
  { path: 'tabSettings', key: ['tab'], why: 'one visibility setting per tab; tab order is set by the app, not here' },
];

const PICKLIST_AVAILABILITY =
  'which picklist values are available; their display order comes from the field\u2019s value set';

/** Children of an object; used at the root of CustomObject (metadata format has them inline). */
const OBJECT_CHILDREN: readonly UnorderedRule[] = [
  { path: 'fields', key: ['fullName'], why: 'fields of an object are named members; the page layout orders them' },
  { path: 'listViews', key: ['fullName'], why: 'list views are named members, shown sorted by label' },
  { path: 'recordTypes', key: ['fullName'], why: 'record types are named members, shown sorted by label' },
  { path: 'validationRules', key: ['fullName'], why: 'all active validation rules run; their order is not defined' },
  { path: 'webLinks', key: ['fullName'], why: 'buttons and links are named members; layouts place them' },
  { path: 'fieldSets', key: ['fullName'], why: 'field sets are named members' },
  { path: 'compactLayouts', key: ['fullName'], why: 'compact layouts are named members' },
  { path: 'businessProcesses', key: ['fullName'], why: 'business processes are named members' },
  { path: 'sharingReasons', key: ['fullName'], why: 'sharing reasons are named members' },
  { path: 'indexes', key: ['fullName'], why: 'indexes are named members' },
  { path: 'actionOverrides', key: [], why: 'one override per action and form factor; looked up, not ordered' },
  { path: 'recordTypes/picklistValues', key: ['picklist'], why: 'one entry per picklist field of the record type' },
  { path: 'recordTypes/picklistValues/values', key: ['fullName'], why: PICKLIST_AVAILABILITY },
  { path: 'businessProcesses/values', key: ['fullName'], why: PICKLIST_AVAILABILITY },
  {
    path: 'fields/valueSet/valueSettings',
    key: ['valueName'],
    why: 'dependent picklist mapping: one entry per dependent value, looked up by value',
  },
  {
    path: 'fields/valueSet/valueSettings/controllingFieldValue',
    key: [],
    why: 'the set of controlling values that make a dependent value available',
  },
];

const FLOW_ELEMENT = 'flow elements are named nodes linked by connectors; the file order is not the run order';
const FLOW_ELEMENTS = [
  'actionCalls',
  'apexPluginCalls',
  'assignments',
  'choices',
  'collectionProcessors',
  'constants',
  'customErrors',
  'decisions',
  'dynamicChoiceSets',
  'formulas',
  'loops',
  'orchestratedStages',
  'recordCreates',
  'recordDeletes',
  'recordLookups',
  'recordRollbacks',
  'recordUpdates',
  'screens',
  'stages',
  'steps',
  'subflows',
  'textTemplates',
  'transforms',
  'variables',
  'waits',
];

const NAMED = (path: string, key: string, what: string): UnorderedRule => ({
  path,
  key: [key],
  why: `${what} are named members of the file; nothing refers to them by position`,
});

/** The table. Keys are metadata type names = root element names. */
export const UNORDERED_ELEMENTS: Readonly<Record<string, readonly UnorderedRule[]>> = {
  Profile: [...PERMISSION_ENTRIES, ...PROFILE_ONLY],
  PermissionSet: [...PERMISSION_ENTRIES, ...PERMISSION_SET_ONLY],
  PermissionSetGroup: [
    { path: 'permissionSets', key: [], why: 'a group grants the union of its permission sets' },
    { path: 'mutingPermissionSets', key: [], why: 'muting applies the union of its muting sets' },
  ],
  MutingPermissionSet: [...PERMISSION_ENTRIES],
  CustomLabels: [NAMED('labels', 'fullName', 'custom labels')],
  CustomObject: OBJECT_CHILDREN,
  CustomField: [
    {
      path: 'valueSet/valueSettings',
      key: ['valueName'],
      why: 'dependent picklist mapping: one entry per dependent value, looked up by value',
    },
    {
      path: 'valueSet/valueSettings/controllingFieldValue',
      key: [],
      why: 'the set of controlling values that make a dependent value available',
    },
  ],
  RecordType: [
    { path: 'picklistValues', key: ['picklist'], why: 'one entry per picklist field of the record type' },
    { path: 'picklistValues/values', key: ['fullName'], why: PICKLIST_AVAILABILITY },
  ],
  BusinessProcess: [{ path: 'values', key: ['fullName'], why: PICKLIST_AVAILABILITY }],
  Layout: [
    { path: 'excludeButtons', key: [], why: 'the set of standard buttons hidden on the layout' },
  ],
  Flow: FLOW_ELEMENTS.map((path) => ({ path, key: ['name'], why: FLOW_ELEMENT })),
  Workflow: [
    NAMED('alerts', 'fullName', 'email alerts'),
    NAMED('fieldUpdates', 'fullName', 'field updates'),
    NAMED('knowledgePublishes', 'fullName', 'knowledge actions'),
    NAMED('outboundMessages', 'fullName', 'outbound messages'),
    NAMED('rules', 'fullName', 'workflow rules (all are evaluated)'),
    NAMED('tasks', 'fullName', 'workflow tasks'),
  ],
  SharingRules: [
    NAMED('sharingCriteriaRules', 'fullName', 'criteria-based sharing rules (all apply)'),
    NAMED('sharingOwnerRules', 'fullName', 'owner-based sharing rules (all apply)'),
    NAMED('sharingGuestRules', 'fullName', 'guest sharing rules (all apply)'),
  ],
  AssignmentRules: [NAMED('assignmentRule', 'fullName', 'assignment rules (only the active one runs)')],
  AutoResponseRules: [NAMED('autoResponseRule', 'fullName', 'auto-response rules (only the active one runs)')],
  EscalationRules: [NAMED('escalationRule', 'fullName', 'escalation rules (only the active one runs)')],
  MatchingRules: [NAMED('matchingRules', 'fullName', 'matching rules')],
  Translations: [
    NAMED('customApplications', 'name', 'translated applications'),
    NAMED('customLabels', 'name', 'translated labels'),
    NAMED('customPageWebLinks', 'name', 'translated web links'),
    NAMED('customTabs', 'name', 'translated tabs'),
    NAMED('flowDefinitions', 'fullName', 'translated flows'),
    NAMED('quickActions', 'name', 'translated quick actions'),
    NAMED('reportTypes', 'name', 'translated report types'),
    NAMED('scontrols', 'name', 'translated s-controls'),
  ],
  CustomObjectTranslation: [
    NAMED('fieldSets', 'name', 'translated field sets'),
    NAMED('fields', 'name', 'translated fields'),
    NAMED('layouts', 'layout', 'translated layouts'),
    NAMED('quickActions', 'name', 'translated quick actions'),
    NAMED('recordTypes', 'name', 'translated record types'),
    NAMED('sharingReasons', 'name', 'translated sharing reasons'),
    NAMED('standardFields', 'name', 'translated standard fields'),
    NAMED('validationRules', 'name', 'translated validation rules'),
    NAMED('webLinks', 'name', 'translated web links'),
    NAMED('fields/picklistValues', 'masterLabel', 'translated picklist values'),
  ],
  Package: [
    NAMED('types', 'name', 'manifest type entries'),
    { path: 'types/members', key: [], why: 'the set of members retrieved or deployed for a type' },
  ],
};

/** Rules of one metadata type as `path -> key`, or undefined when the type has none. */
export function unorderedPathsFor(rootElement: string): ReadonlyMap<string, readonly string[]> | undefined {
  if (!Object.prototype.hasOwnProperty.call(UNORDERED_ELEMENTS, rootElement)) return undefined;
  const rules = UNORDERED_ELEMENTS[rootElement];
  return new Map(rules.map((r) => [r.path, r.key]));
}
