/**
 * Custom labels, compared label by label as sfdx-git-delta does: one CustomLabels file holds every
 * label, so a change to one label deploys that CustomLabel (not the whole file), a label removed
 * from the file is deleted, and the written file keeps only the labels deployed.
 */

const LABEL = /<labels>([\s\S]*?)<\/labels>/g;
const FULL_NAME = /<fullName>\s*([^<]*?)\s*<\/fullName>/;

/** Each label's XML by its fullName, whitespace between tags ignored. */
export function labelsOf(xml: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!xml) return out;
  for (const m of xml.matchAll(LABEL)) {
    const name = FULL_NAME.exec(m[1])?.[1];
    if (name) out.set(name, m[1].replace(/>\s+</g, '><').trim());
  }
  return out;
}

/** The labels added or changed from `before` to `after`, and those removed (both sorted). */
export function labelDelta(before: string | undefined, after: string | undefined): { changed: string[]; deleted: string[] } {
  const a = labelsOf(before);
  const b = labelsOf(after);
  const changed = [...b].filter(([n, x]) => a.get(n) !== x).map(([n]) => n);
  const deleted = [...a.keys()].filter((n) => !b.has(n));
  return { changed: changed.sort(), deleted: deleted.sort() };
}

/** The labels file with only the labels named (the rest of the file as it is). */
export function keepLabels(xml: string, names: ReadonlySet<string>): string {
  return xml.replace(/[ \t]*<labels>([\s\S]*?)<\/labels>[ \t]*\r?\n?/g, (whole, body: string) => {
    const name = FULL_NAME.exec(body)?.[1];
    return name && names.has(name) ? whole : '';
  });
}
