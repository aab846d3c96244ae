// Bundles the extension. Type checking is separate: `npm run typecheck` (tsc --noEmit).
//   node esbuild.mjs               development build (sourcemaps)
//   node esbuild.mjs --watch       rebuild on change
//   node esbuild.mjs --production  minified, no sourcemaps (used by `npm run package`)
import * as fs from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Options shared by the Node bundles that run in the extension host. */
const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: production ? false : 'linked',
  sourcesContent: false,
  logLevel: 'warning',
  external: ['vscode'],
};

const bundles = [
  // Light: loaded at activation. The Salesforce bundle is required lazily by src/salesforce-loader.ts.
  // mainFields: jsonc-parser's "main" is a UMD build whose internal requires esbuild cannot follow.
  {
    ...node,
    entryPoints: { extension: 'src/extension.ts' },
    outdir: 'dist',
    external: ['vscode', './salesforce.js'],
    mainFields: ['module', 'main'],
  },
  // The `changeline` command line (package.json "bin"): as light as the extension, the Salesforce
  // bundle required lazily next to it, so `changeline --help` loads none of it.
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    external: ['./salesforce.js'],
    mainFields: ['module', 'main'],
    banner: { js: '#!/usr/bin/env node' },
    define: { CHANGELINE_VERSION: JSON.stringify(JSON.parse(fs.readFileSync('package.json', 'utf8')).version) },
  },
  // Heavy: @salesforce/core + SDR. SF_DISABLE_LOG_FILE avoids pino's worker transport, which
  // cannot be resolved from a bundle (see /work/shared/notes/salesforce-wire.md).
  {
    ...node,
    entryPoints: { salesforce: 'src/salesforce/index.ts' },
    outdir: 'dist',
    define: { 'process.env.SF_DISABLE_LOG_FILE': "'true'" },
  },
  // The worker thread compare reads retrieve zips in (src/salesforce/compare/zip-digests.ts starts it from
  // dist/): its import of the Salesforce layer is the salesforce.js bundle next to it.
  {
    ...node,
    entryPoints: { 'zip-digest-worker': 'src/salesforce/compare/zip-digest-worker.ts' },
    outdir: 'dist',
    plugins: [
      {
        name: 'salesforce-bundle',
        setup(build) {
          build.onResolve({ filter: /^\.\.\/index$/ }, () => ({ path: './salesforce.js', external: true }));
        },
      },
    ],
  },
  // Webview bundles: browser code of the panels (with @vscode-elements/elements inside), loaded by
  // the panels' HTML from dist/webview/ under a strict CSP (script by nonce).
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: production,
    sourcemap: production ? false : 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    entryPoints: { changeRequest: 'src/webview-ui/changeRequest/main.ts', compare: 'src/webview-ui/compare/main.ts', deployment: 'src/webview-ui/deployment/main.ts', deploymentLog: 'src/webview-ui/deploymentLog/main.ts', queue: 'src/webview-ui/queue/main.ts', pipeline: 'src/webview-ui/pipeline/main.ts' },
    outdir: 'dist/webview',
  },
];

/** The codicon font the webviews' elements use, copied next to the webview bundles. */
function copyCodicons() {
  if (fs.existsSync('dist/cli.js')) fs.chmodSync('dist/cli.js', 0o755);
  fs.mkdirSync('dist/webview', { recursive: true });
  for (const f of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`node_modules/@vscode/codicons/dist/${f}`, `dist/webview/${f}`);
}

const problems = {
  name: 'report',
  setup(build) {
    build.onEnd((result) => {
      if (watch && result.errors.length === 0) console.log(`[watch] ${build.initialOptions.entryPoints ? Object.keys(build.initialOptions.entryPoints).join(', ') : ''} built`);
    });
  },
};

// A production build starts from an empty dist/ so no development sourcemap is packaged.
if (production) fs.rmSync('dist', { recursive: true, force: true });

copyCodicons();
const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...b, plugins: [...(b.plugins ?? []), problems] })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  const results = await Promise.allSettled(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) process.exit(1);
}
