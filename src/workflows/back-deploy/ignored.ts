/**
 * "Ignore All" on a behind notice, remembered per lower → upper pair in the workspace's storage
 * (a FileStore: the editor's workspace storage folder, the CLI's cache folder). It is one user's
 * choice about a notice, not a fact about the orgs, so it is not written to an org; it lapses by
 * itself once a newer deployment reaches the upper environment (core ignore.ts). An unreadable
 * file counts as nothing ignored (logged), never an error.
 */
import { ignoreMark, isIgnored, type IgnoreMark } from '../../core/back-deploy';
import type { OrgDeployment } from '../../core/promotion/history';
import type { LogSink } from '../../core/log-sink';
import type { FileStore } from '../storage';

const FILE = 'back-deploy-ignored.json';
const pair = (lower: string, upper: string) => `${lower}\u2190${upper}`;

export class IgnoredNotices {
  /** The marks as last read or written (for synchronous checks, e.g. the tree's badge). */
  private known?: Record<string, IgnoreMark>;

  constructor(
    private readonly files: FileStore,
    private readonly log: LogSink,
  ) {}

  private async read(): Promise<Record<string, IgnoreMark>> {
    let marks: Record<string, IgnoreMark> = {};
    try {
      const bytes = await this.files.read(FILE);
      const v = bytes ? (JSON.parse(new TextDecoder().decode(bytes)) as unknown) : undefined;
      if (v && typeof v === 'object' && !Array.isArray(v)) marks = v as Record<string, IgnoreMark>;
    } catch (e) {
      this.log.warn(`Could not read ${FILE} in ${this.files.location}; no behind notice counts as ignored (${(e as Error).message})`);
    }
    this.known = marks;
    return marks;
  }

  private async write(all: Record<string, IgnoreMark>): Promise<void> {
    await this.files.write(FILE, new TextEncoder().encode(JSON.stringify(all)));
    this.known = all;
  }

  /** Reads the marks once, so `ignoredNow` can answer. */
  async load(): Promise<void> {
    if (!this.known) await this.read();
  }

  /** Whether the notice stays dismissed, from the marks as last read (false before `load`). */
  ignoredNow(lower: string, upper: string, deployments: readonly OrgDeployment[]): boolean {
    return isIgnored(this.known?.[pair(lower, upper)], deployments);
  }

  /** The file the marks are kept in. */
  get file(): string {
    return `${this.files.location}/${FILE}`;
  }

  /** The mark kept for the pair, if any. */
  async mark(lower: string, upper: string): Promise<IgnoreMark | undefined> {
    return (await this.read())[pair(lower, upper)];
  }

  /** Ignore All: the notice stays dismissed until a deployment newer than these reaches `upper`. */
  async ignore(lower: string, upper: string, deployments: readonly OrgDeployment[]): Promise<IgnoreMark> {
    const all = await this.read();
    const mark = ignoreMark(deployments);
    all[pair(lower, upper)] = mark;
    await this.write(all);
    return mark;
  }

  /** Shows the notice again. */
  async unignore(lower: string, upper: string): Promise<void> {
    const all = await this.read();
    if (!(pair(lower, upper) in all)) return;
    delete all[pair(lower, upper)];
    await this.write(all);
  }

  /** Whether the notice for these (behind) deployments stays dismissed. */
  async isIgnored(lower: string, upper: string, deployments: readonly OrgDeployment[]): Promise<boolean> {
    return isIgnored(await this.mark(lower, upper), deployments);
  }
}
