// tfjs-core's Node bundle (dist/tf-core.node.js) registers no gradients: they
// live in its ES-module files (dist/gradients/*.js), which import each other
// without file extensions (written for bundlers), and which the
// @tensorflow/tfjs umbrella package would bundle. This loads
// dist/register_all_gradients.js with a module hook that adds the extension
// and reads those files as ES modules. Their registrations land in tfjs's
// global registry, which every copy of tfjs-core shares.
import { register } from 'node:module';

const HOOKS = `
const DIST = '/@tensorflow/tfjs-core/dist/';
export async function resolve(specifier, context, next) {
  const inDist = context.parentURL?.includes(DIST) && specifier.startsWith('.') && !specifier.endsWith('.js');
  return next(inDist ? specifier + '.js' : specifier, context);
}
export async function load(url, context, next) {
  return next(url, url.includes(DIST) && url.endsWith('.js') ? { ...context, format: 'module' } : context);
}`;

let loaded;
export function registerTfjsGradients() {
  loaded ??= (async () => {
    register(`data:text/javascript,${encodeURIComponent(HOOKS)}`, import.meta.url);
    await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
  })();
  return loaded;
}
