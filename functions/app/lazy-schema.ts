import * as z from "zod/mini";

/**
 * A schema built the first time anything looks at it rather than when its module loads. zod
 * builds each schema eagerly, and building the requests' few hundred schemas was the largest part
 * of the API function's cold start beyond the floor's; a cold request now builds only the schemas
 * its own route checks. The schema is the same one in every other respect: it validates, types the
 * handler and describes the route in the OpenAPI document, and what `z.meta` says of it is found
 * under this schema too.
 */
export function lazy<T extends z.ZodMiniType>(build: () => T): T {
  let built: T | undefined;
  const real = (): T => {
    if (!built) {
      built = build();
      const meta = z.globalRegistry.get(built);
      if (meta) z.globalRegistry.add(schema, meta);
    }
    return built;
  };
  const schema: T = new Proxy({} as T, {
    get: (_, key) => Reflect.get(real(), key),
    has: (_, key) => Reflect.has(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const found = Reflect.getOwnPropertyDescriptor(real(), key);
      // A proxy may not report a property as fixed that its own (empty) target lacks.
      if (found) found.configurable = true;
      return found;
    },
  });
  return schema;
}
