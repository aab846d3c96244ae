/** Apex source prepared for scanning: comments and string literals blanked, SOQL queries found. */

/** The source with comments and the contents of string literals replaced by blanks (offsets and lines kept). */
export function blankApex(src: string): string {
  const out = src.split('');
  const blank = (from: number, to: number) => {
    for (let i = from; i < to; i++) if (out[i] !== '\n') out[i] = ' ';
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '/' && src[i + 1] === '/') {
      const end = src.indexOf('\n', i);
      const stop = end < 0 ? src.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === "'") {
      let j = i + 1;
      while (j < src.length && src[j] !== "'" && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
      blank(i + 1, Math.min(j, src.length));
      i = j + 1;
    } else i++;
  }
  return out.join('');
}

/** Offsets `[start, end)` of each bracketed SOQL query (`[SELECT ... ]`) in blanked code. */
export function soqlRanges(code: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const open = /\[\s*select\b/gi;
  for (let m = open.exec(code); m; m = open.exec(code)) {
    let depth = 0;
    let end = -1;
    for (let i = m.index; i < code.length; i++) {
      if (code[i] === '[') depth++;
      else if (code[i] === ']' && --depth === 0) {
        end = i + 1;
        break;
      }
    }
    if (end < 0) break;
    out.push([m.index, end]);
    open.lastIndex = end;
  }
  return out;
}

/** Blanks each parenthesized sub-query (`(SELECT ... )`) of a query, whose fields belong to a child object. */
export function blankSubqueries(query: string): string {
  const out = query.split('');
  const open = /\(\s*select\b/gi;
  for (let m = open.exec(query); m; m = open.exec(query)) {
    let depth = 0;
    for (let i = m.index; i < query.length; i++) {
      if (query[i] === '(') depth++;
      else if (query[i] === ')' && --depth === 0) {
        for (let k = m.index; k <= i; k++) if (out[k] !== '\n') out[k] = ' ';
        open.lastIndex = i + 1;
        break;
      }
    }
  }
  return out.join('');
}
