/** One JSON line per thing worth knowing, so CloudWatch (and a person at a terminal) can filter by `what`. */
export type Log = (level: "info" | "warn" | "error", what: string, fields?: Record<string, unknown>) => void;

export const jsonLog: Log = (level, what, fields = {}) => {
  const line = JSON.stringify({ level, what, ...fields });
  if (level === "info") console.log(line);
  else if (level === "warn") console.warn(line);
  else console.error(line);
};
