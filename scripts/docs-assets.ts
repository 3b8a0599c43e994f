/**
 * Copies the API reference page's script (the pinned `@scalar/api-reference`
 * package's standalone bundle) into `.assets/docs/`, which wrangler serves as
 * the Worker's static assets: `/docs` then works offline and never changes
 * under a running deployment. Runs on `npm install` (postinstall).
 */
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
/** The URL path `/docs` loads its script from; `.assets/` is the assets root. */
export const DOCS_SCRIPT_PATH = '/docs/assets/api-reference.js';

export function copyDocsAssets(root = ROOT): { version: string; target: string } {
  // The package exports no ./package.json; its folder is the one holding `@scalar/api-reference` in node_modules.
  const packageDir = path.join(root, 'node_modules', '@scalar', 'api-reference');
  const { version } = JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const target = path.join(root, '.assets', DOCS_SCRIPT_PATH);
  mkdirSync(path.dirname(target), { recursive: true });
  copyFileSync(path.join(packageDir, 'dist/browser/standalone.js'), target);
  // The file name carries no version, so browsers revalidate it (an ETag round trip) rather than cache it for good.
  writeFileSync(path.join(root, '.assets', '_headers'), `${DOCS_SCRIPT_PATH}\n  Cache-Control: public, max-age=3600, must-revalidate\n`);
  return { version, target };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { version, target } = copyDocsAssets();
  console.log(`docs assets: @scalar/api-reference ${version} → ${path.relative(ROOT, target)}`);
}
