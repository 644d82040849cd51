// esbuild over the plain ES modules of web/: one file per entry, the binding and the lab kept
// as separate files every bundle imports (so a page holds one core and loads the lab only when
// used), and each `new URL('<file>', import.meta.url)` of the source redirected to where that
// file sits in the release (or to a data: URL in a standalone file).
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB = resolve(ROOT, 'web');

/** Modules shared between bundles: source (relative to web/) → file in the release. */
export const SHARED_MODULES = {
  'cnn.js': 'cnn.js',
  'widgets/index.js': 'widgets.js',
  'widgets/cnn-train.js': 'train.js',
  'vendor/uplot/uPlot.esm.js': 'uplot.js',
};

const ASSET_URL = /new URL\(([^,()]+), import\.meta\.url\)/g;

/** The module behind `import { assetUrl } from 'cnn-dist:assets'`: a source path → its URL in the release. */
function assetModule(assets) {
  return `const ASSETS = ${JSON.stringify(assets)};
export function assetUrl(path, directory, base) {
  const source = new URL(path, 'file:///' + directory).pathname.slice(1);
  if (!Object.hasOwn(ASSETS, source)) throw new Error('cnn: ' + source + ' is not part of this build');
  return new URL(ASSETS[source], base);
}`;
}

function releasePlugin({ shared, assets }) {
  return {
    name: 'cnn-release',
    setup(build) {
      build.onResolve({ filter: /^cnn-dist:assets$/ }, () => ({ path: 'assets', namespace: 'cnn-release' }));
      build.onLoad({ filter: /.*/, namespace: 'cnn-release' }, () => ({ contents: assetModule(assets), loader: 'js' }));
      build.onResolve({ filter: /^\./ }, (args) => {
        const target = relative(WEB, resolve(args.resolveDir, args.path)).split(sep).join('/');
        if (Object.hasOwn(shared, target)) return { path: `./${shared[target]}`, external: true };
        return undefined;
      });
      build.onLoad({ filter: /\.js$/ }, async (args) => {
        if (!args.path.startsWith(WEB + sep)) return undefined;
        const text = await readFile(args.path, 'utf8');
        if (!text.match(ASSET_URL)) return undefined;
        const directory = `${relative(WEB, dirname(args.path)).split(sep).join('/')}/`.replace(/^\/$/, '');
        const contents = `import { assetUrl } from 'cnn-dist:assets';\n${
          text.replace(ASSET_URL, (_, path) => `assetUrl(${path}, ${JSON.stringify(directory)}, import.meta.url)`)}`;
        return { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Bundles `entry` (a path under web/, or { contents } of a generated entry) into one ES module.
 * The other shared modules stay imports; `assets` maps source files to release URLs.
 * Returns the module's text.
 */
export async function bundle(entry, { assets, shareModules = true }) {
  const own = typeof entry === 'string' ? entry : null;
  const shared = shareModules ? Object.fromEntries(Object.entries(SHARED_MODULES).filter(([source]) => source !== own)) : {};
  const input = own ? { entryPoints: [resolve(WEB, own)] } : { stdin: { contents: entry.contents, resolveDir: WEB, sourcefile: 'entry.js' } };
  const result = await build({
    ...input,
    bundle: true,
    format: 'esm',
    target: 'es2022',
    minify: true,
    keepNames: true, // the binding names layers by their class names (Conv2d, BatchNorm2d, …)
    legalComments: 'inline',
    external: ['node:*'],
    write: false,
    logLevel: 'warning',
    plugins: [releasePlugin({ shared, assets })],
  });
  return result.outputFiles[0].text;
}
