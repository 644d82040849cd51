// The binding's code is module-level and takes the core it calls explicitly; these give one
// load()'s public API its core: functions bound to it, classes subclassed to carry it.
import { renamed } from './args.js';

/**
 * A public API object: each function of `functions`, which takes the core first, bound to core,
 * its errors renamed(error, `${prefix}${key}`) so a caller reads the function they called.
 */
export function bindAll(core, functions, prefix = '') {
  return Object.fromEntries(Object.entries(functions).map(([key, fn]) => {
    const op = `${prefix}${key}`;
    return [key, function boundFunction(...args) {
      try {
        return fn(core, ...args);
      } catch (error) {
        throw renamed(error, op);
      }
    }];
  }));
}

/** Class's subclass under Class's name whose static `core` its instances call (read as new.target.core). */
export function onCore(core, Class) {
  return class extends Class {
    static name = Class.name;
    static core = core;
  };
}
