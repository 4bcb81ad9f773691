import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
const workspaces = [
  ...['apps', 'libs'].flatMap((dir) => readdirSync(join(repo, dir)).map((name) => join(repo, dir, name))),
  join(repo, 'deploy', 'local'),
  join(repo, 'bench'),
].filter((dir) => statSync(join(dir, 'src'), { throwIfNoEntry: false })?.isDirectory());

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The packages a file imports: `@scope/name` or `name`, not relative paths nor Node's own modules. */
function importedPackages(file: string): string[] {
  const specifiers = [...readFileSync(file, 'utf8').matchAll(/(?:from|import|require\()\s*['"]([^'".][^'"]*)['"]/g)].map((m) => m[1]!);
  return specifiers
    .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]!))
    .map((s) =>
      s
        .split('/')
        .slice(0, s.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

/**
 * A pruned image (turbo prune, then npm install of the app's own manifest) holds only what each package
 * declares: an import that resolves here through npm's hoisting would fail there.
 */
describe('declared dependencies', () => {
  it.each(workspaces.map((dir) => [dir.slice(repo.length + 1), dir]))('%s declares every package its code imports', (_name, dir) => {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, string> | undefined>;
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const forSpecs = new Set([...declared, ...Object.keys(manifest.devDependencies ?? {})]);
    const missing = sources(join(dir, 'src')).flatMap((file) =>
      importedPackages(file)
        .filter((name) => !(file.endsWith('.spec.ts') ? forSpecs : declared).has(name))
        .map((name) => `${file.slice(dir.length + 1)} imports ${name}`),
    );
    // Specs may also use the root's test tools (jest, prom-client's Registry is declared anyway).
    expect(missing.filter((m) => !/\.spec\.ts imports (jest|@jest\/.*)$/.test(m))).toEqual([]);
  });
});
