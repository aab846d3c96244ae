// @ts-check
/**
 * The layering the architecture depends on, held by the lint (runs in `npm test`):
 *   src/core       plain TypeScript: no `vscode`, no Salesforce library, nothing above it;
 *   src/workflows  use cases for the editor and the CLI: no `vscode`, Salesforce layer by type only;
 *   src/salesforce the Salesforce libraries' adapter: no `vscode`, nothing above it;
 *   src/shared     ids and protocols below views, webviews and commands;
 *   src/cli        the command line: no `vscode`;
 *   views/webviews never reach up into commands.
 */
import tseslint from 'typescript-eslint';

const vscode = { name: 'vscode', message: 'This layer runs without the editor (CLI, plain Node tests): no `vscode` import.' };
const salesforceLibs = { group: ['@salesforce/*', 'jsforce', 'jsforce/*'], message: 'Salesforce libraries are reached through src/salesforce (loaded lazily).' };
const up = (layers, why) => ({ group: layers.flatMap((l) => [`**/${l}`, `**/${l}/**`]), message: why });
const restrict = (paths, patterns) => ({
  '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }],
});

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.cache/**', 'test-output/**', '**/*.js', '**/*.mjs'] },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-require-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-debugger': 'error',
      'no-restricted-syntax': ['error', { selector: "CallExpression[callee.object.name=/^(it|describe|suite|test)$/][callee.property.name='only']", message: 'A focused test (.only) leaves the rest of the tier unrun.' }],
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: restrict([vscode], [salesforceLibs, up(['salesforce', 'workflows', 'services', 'commands', 'views', 'webviews', 'shared', 'cli'], 'src/core is the bottom layer: it imports nothing above it.')]),
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: restrict(
      [vscode],
      [
        salesforceLibs,
        { ...up(['salesforce'], 'Workflows reach the Salesforce layer through the SalesforceApi they are given (type imports only).'), allowTypeImports: true },
        up(['commands', 'views', 'webviews', 'cli'], 'Workflows sit below every front end.'),
      ],
    ),
  },
  {
    files: ['src/salesforce/**/*.ts'],
    rules: restrict([vscode], [up(['workflows', 'services', 'commands', 'views', 'webviews', 'cli'], 'src/salesforce is an adapter below the workflows and front ends.')]),
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict([vscode], [salesforceLibs, up(['salesforce', 'workflows', 'commands', 'views', 'webviews', 'cli'], 'src/shared holds ids and protocols below views, webviews and commands.')]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict([vscode], [up(['commands', 'views', 'webviews'], 'The CLI is a front end beside the editor; it calls workflows.')]),
  },
  {
    files: ['src/views/**/*.ts', 'src/webviews/**/*.ts'],
    rules: restrict([], [up(['commands'], 'Views and webviews do not reach up into commands: shared ids live in src/shared, the context in src/ctx.ts.')]),
  },
  {
    files: ['src/webview-ui/**/*.ts'],
    rules: restrict([vscode], [salesforceLibs, up(['salesforce', 'workflows', 'commands', 'views', 'webviews', 'services'], 'Webview scripts run in the browser: shared protocol and core types only.')]),
  },
);
