// The binding's code is module-level and takes the core it calls explicitly; these give one
// load()'s public API its core: functions bound to it, classes subclassed to carry it. The core
// stays out of reach of callers (no property holds it): its raw calls take any pointer.
import { renamed } from './args.js';

/**
 * A public API object: each function of `functions`, which takes the core first, bound to core,
 * its errors renamed(error, `${prefix}${key}`) so a caller reads the function they called.
 */
export function bindAll(core, functions, prefix = '') {
  return Object.fromEntries(
    Object.entries(functions).map(([key, fn]) => {
      const op = `${prefix}${key}`;
      return [
        key,
        function boundFunction(...args) {
          try {
            return fn(core, ...args);
          } catch (error) {
            throw renamed(error, op);
          }
        },
      ];
    }),
  );
}

// The core of each class onCore made.
const classCores = new WeakMap();

/** Class's subclass under Class's name whose instances call core (they ask coreOfClass(new.target)). */
export function onCore(core, Class) {
  const Bound = class extends Class {
    static name = Class.name;
  };
  classCores.set(Bound, core);
  return Bound;
}

/** The core of a class onCore made, or of a caller's subclass of one; undefined for any other class. */
export function coreOfClass(Class) {
  for (let current = Class; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    const core = classCores.get(current);
    if (core) return core;
  }
  return undefined;
}
