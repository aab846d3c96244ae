/**
 * Validation rules: the org's ValidationRule components (deployed inside their object), evaluated
 * on every insert and update through the REST API after the field checks, as Salesforce does. A
 * record that meets an active rule's errorConditionFormula is refused with 400
 * FIELD_CUSTOM_VALIDATION_EXCEPTION, the rule's errorMessage and its errorDisplayField (none when
 * shown at the top of the page). Rules run in system context: field-level security does not hide
 * fields from them. A rule whose formula uses something the emulator cannot evaluate (formula-parser.ts)
 * is skipped and noted in `problems`.
 */
import { elementText } from '../metadata/xml';
import type { OrgStore, SRecord } from '../store';
import { evaluate, type Value } from './formula-eval';
import { FormulaError, parseFormula, type Expr } from './formula-parser';
import type { ObjectDef } from './schema-types';
import { WriteError } from './validate';

export interface ValidationRule {
  name: string;
  formula: Expr;
  message: string;
  displayField?: string;
}

/** Follows a relationship path (`Account__r.Name`) from a record: the value, or null. */
export type Resolve = (obj: ObjectDef, rec: Record<string, unknown>, path: string[]) => Value;

export class ValidationRules {
  private version = -1;
  private byObject = new Map<string, ValidationRule[]>();
  problems: string[] = [];

  constructor(private readonly store: OrgStore) {}

  /** Active rules of an object (by name, case-insensitive). */
  of(objectName: string): ValidationRule[] {
    if (this.version !== this.store.metadataVersion) this.load();
    return this.byObject.get(objectName.toLowerCase()) ?? [];
  }

  /**
   * Throws the first rule the record would break. `next` is the record as it would be saved;
   * `prior` the stored record (absent on insert).
   */
  check(obj: ObjectDef, next: Record<string, unknown>, prior: SRecord | undefined, resolve: Resolve): void {
    for (const rule of this.of(obj.name)) {
      let fires: Value;
      try {
        fires = evaluate(rule.formula, {
          isNew: !prior,
          value: (path) => resolve(obj, next, path),
          prior: (path) => resolve(obj, prior ?? next, path),
        });
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        this.problems.push(`${obj.name}.${rule.name}: ${e.message}`);
        continue;
      }
      if (fires === true) {
        const display = rule.displayField ? (obj.fields.get(rule.displayField.toLowerCase())?.name ?? rule.displayField) : undefined;
        throw new WriteError('FIELD_CUSTOM_VALIDATION_EXCEPTION', rule.message, display ? [display] : []);
      }
    }
  }

  private load(): void {
    this.version = this.store.metadataVersion;
    this.byObject = new Map();
    this.problems = [];
    for (const comp of this.store.listComponents('ValidationRule')) {
      const dot = comp.fullName.indexOf('.');
      const b64 = comp.files['fragment.xml'] ?? Object.values(comp.files)[0];
      if (dot < 0 || b64 === undefined) continue;
      const xml = Buffer.from(b64, 'base64').toString('utf8');
      if (elementText(xml, 'active') !== 'true') continue;
      const name = comp.fullName.slice(dot + 1);
      try {
        const rule: ValidationRule = {
          name,
          formula: parseFormula(elementText(xml, 'errorConditionFormula') ?? ''),
          message: elementText(xml, 'errorMessage') ?? name,
          displayField: elementText(xml, 'errorDisplayField') || undefined,
        };
        const key = comp.fullName.slice(0, dot).toLowerCase();
        this.byObject.set(key, [...(this.byObject.get(key) ?? []), rule]);
      } catch (e) {
        if (!(e instanceof FormulaError)) throw e;
        this.problems.push(`${comp.fullName}: ${e.message}`);
      }
    }
    for (const rules of this.byObject.values()) rules.sort((a, b) => a.name.localeCompare(b.name));
  }
}
