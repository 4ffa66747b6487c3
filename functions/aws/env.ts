import { getParameter } from "./ssm.js";

/** An environment variable the function cannot run without. */
export const need = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

/**
 * A setting from the environment variable `name` when given, else the SSM parameter that `${name}_PARAM`
 * names, read once (a failed read is tried again on the next call).
 */
export function fromEnvOrParameter(name: string): () => Promise<string> {
  let read: Promise<string> | undefined;
  return () => {
    const value = process.env[name];
    if (value) return Promise.resolve(value);
    read ??= getParameter(need(`${name}_PARAM`)).catch((err) => {
      read = undefined;
      throw err;
    });
    return read;
  };
}
