import { runJobs } from "./core/jobs.js";
import { jsonLog } from "./core/log.js";
import { createStore } from "./store/client.js";

const table = process.env.TABLE_NAME;
if (!table) throw new Error("TABLE_NAME is not set");
const store = createStore(table);

/** The scheduled jobs: expiry, alerts to staff, reminders to volunteers, auto-confirm. */
export async function handler() {
  const report = await runJobs(store, { log: jsonLog });
  jsonLog("info", "jobs.done", { ...report });
  return report;
}
