/**
 * Loads the Salesforce layer (dist/salesforce.js: @salesforce/core + SDR) on first use, so
 * activation stays light. Only types come from src/salesforce at compile time.
 */
/** The Salesforce layer's API (src/salesforce/index.ts). Type-only: nothing is loaded at compile time. */
export type SalesforceApi = typeof import('./salesforce/index');

let loading: Promise<SalesforceApi> | undefined;
let loadedMs: number | undefined;

/** The Salesforce layer, loaded once. */
export function loadSalesforce(): Promise<SalesforceApi> {
  loading ??= new Promise<SalesforceApi>((resolve, reject) => {
    // Deferred so the caller's UI (progress, tree) shows before the synchronous require blocks.
    setImmediate(() => {
      const started = performance.now();
      try {
        // Resolved next to the running bundle (dist/); kept out of the extension bundle by esbuild.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const api = require('./salesforce.js') as SalesforceApi;
        loadedMs = performance.now() - started;
        resolve(api);
      } catch (e) {
        loading = undefined;
        reject(new Error(`Could not load the Salesforce libraries: ${(e as Error).message}`));
      }
    });
  });
  return loading;
}

/** For tests and the bench: whether the heavy bundle was loaded, and how long it took. */
export function salesforceLoadState(): { loaded: boolean; loadMs?: number } {
  return { loaded: loadedMs !== undefined, loadMs: loadedMs };
}
