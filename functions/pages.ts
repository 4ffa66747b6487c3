/**
 * The certificate pages' function: the A4 print and the verification page a QR code leads to
 * (functions/app/parts.ts says why they are apart). It reads the table and nothing else: no
 * sign-in, no messages.
 */
import { handle } from "hono/aws-lambda";
import { buildApp } from "./app/base.js";
import { certificatePageRoutes } from "./app/routes/certificate-pages.js";
import { fromEnvOrParameter, need } from "./aws/env.js";
import type { Notifier } from "./notify/notifier.js";
import { createStore } from "./store/client.js";

const none = (what: string) => () => Promise.reject(new Error(`The certificate pages' function has no ${what}`));
const notifier: Notifier = { send: none("notifier"), publish: none("notifier") };

const app = buildApp(
  { store: createStore(need("TABLE_NAME")), notifier, secret: none("signing secret"), publicUrl: fromEnvOrParameter("PUBLIC_URL") },
  [certificatePageRoutes()],
);

export const handler = handle(app);
