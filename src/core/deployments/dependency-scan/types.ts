/** Plain types of the dependency check: package files in, references out. */
import type { ComponentRef } from '../../metadata-types';

/** One file of the package, as text, with the component it belongs to. */
export interface PackageFile {
  ref: ComponentRef;
  /** Path inside the package (source format), e.g. `main/default/classes/Greeter.cls`. */
  path: string;
  text: string;
}

export type ReferenceSource = 'static scan' | 'org dependencies';

/** A package component's reference to another component. */
export interface Reference {
  /** The package component that needs `to`. */
  from: ComponentRef;
  /** What it needs: ApexClass, CustomObject, CustomField (`Object.Field`), CustomLabel, ... */
  to: ComponentRef;
  /** Where, when the scan found it: the package path and the 1-based line. */
  path?: string;
  line?: number;
  /** Why, in words a developer recognizes, e.g. `queries Invoice__c.Total__c`. */
  why: string;
  /** Who says so: the static scan of the package files, the org's MetadataComponentDependency, or both. */
  sources: ReferenceSource[];
}

/** What a scanner of one kind finds in one file (the caller adds `from`, `path` and the source). */
export interface Found {
  to: ComponentRef;
  line: number;
  why: string;
}
