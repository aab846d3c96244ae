/** One retrieve job: Pending → InProgress → Succeeded (or Failed), paced by the service. */
import type { OrgContext } from '../context';
import type { Manifest } from './package-xml';
import { buildRetrieve, type RetrieveOutput } from './retrieve';

export class RetrieveJob {
  status: 'Pending' | 'InProgress' | 'Succeeded' | 'Failed' = 'Pending';
  private output?: RetrieveOutput;
  private errorMessage?: string;

  constructor(
    readonly id: string,
    private readonly org: OrgContext,
    private readonly manifest: Manifest,
    private readonly apiVersion: string,
  ) {}

  get done(): boolean {
    return this.status === 'Succeeded' || this.status === 'Failed';
  }

  /** Advances one step; true while more steps remain. */
  async step(): Promise<boolean> {
    if (this.status === 'Pending') {
      this.status = 'InProgress';
      return true;
    }
    if (this.status === 'InProgress') {
      try {
        this.output = await buildRetrieve(this.org, this.manifest, this.apiVersion);
        this.status = 'Succeeded';
      } catch (e) {
        this.errorMessage = `Internal error while retrieving: ${(e as Error).message}`;
        this.status = 'Failed';
      }
    }
    return false;
  }

  result(includeZip: boolean): Record<string, unknown> {
    const out = this.output;
    return {
      done: this.done,
      ...(this.errorMessage ? { errorMessage: this.errorMessage, errorStatusCode: 'UNKNOWN_EXCEPTION' } : {}),
      ...(out ? { fileProperties: out.fileProperties } : {}),
      id: this.id,
      ...(out && out.messages.length > 0 ? { messages: out.messages } : {}),
      status: this.status,
      success: this.status === 'Succeeded',
      ...(out && includeZip ? { zipFile: out.zipFile } : {}),
    };
  }
}
