/**
 * `npm start`: DynamoDB Local on disk under DATA_DIR (default .data/), the table created if
 * missing, the demo community seeded on first run, the API plus the built web app on PORT, the
 * stream poller feeding the notification handler, and the scheduled jobs every minute.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { join, resolve } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { serveStatic } from "@hono/node-server/serve-static";
import { Hono } from "hono";
import { createApp } from "./app/index.js";
import { serveNode } from "./app/node-server.js";
import { mapTileOrigins, parseOrigins, siteHeaders } from "./app/security.js";
import { runJobs } from "./core/jobs.js";
import { smsRulesFrom } from "./core/sms.js";
import { jsonLog, type Log } from "./core/log.js";
import { s3, credentialsFromEnv } from "./aws/s3.js";
import { devRoutes } from "./dev/routes.js";
import { startLocalS3 } from "./dev/s3-local.js";
import { demoPeople, seedDemo } from "./dev/seed.js";
import { outboxNotifier } from "./notify/local.js";
import type { Notifier } from "./notify/notifier.js";
import { snsNotifier } from "./notify/sns.js";
import { createStreamHandler } from "./notify/stream-handler.js";
import { createStore } from "./store/client.js";
import { DynamoLocalError, dynamoClientConfig, startDynamoLocal, type DynamoLocal } from "./store/dynamo-local.js";
import { ensureTable } from "./store/local-table.js";
import { streamPoller } from "./store/stream-poller.js";

class StartError extends Error {}

function portFree(port: number, host: string) {
  return new Promise<boolean>((done) => {
    const probe = net.createServer();
    probe.once("error", () => done(false));
    probe.listen(port, host, () => probe.close(() => done(true)));
  });
}

/** A signing secret made once per data directory, so tokens survive restarts and never live in the code. */
function localSecret(dataDir: string) {
  const file = join(dataDir, "jwt-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}

/** The scheduled jobs every `intervalMs`, one run at a time; `stop` waits for a run under way. */
function jobLoop(run: () => Promise<unknown>, intervalMs: number, log: Log) {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const tick = () => {
    running = run()
      .catch((err) => log("error", "jobs.failed", { error: String(err?.message ?? err) }))
      .then(() => {
        if (!stopped) timer = setTimeout(tick, intervalMs);
      });
  };
  tick();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export interface LocalOptions {
  dataDir: string;
  port: number;
  host: string;
  table: string;
  webDir: string;
  quiet?: boolean;
  /** a real SNS (or a double of it) instead of the dev outbox */
  sns?: { endpoint: string; topicArn: string };
  /** how often the scheduled jobs run; a minute by default */
  jobsEveryMs?: number;
  /** another S3-compatible photo bucket (endpoint, bucket; credentials from the environment) instead of the local s3rver */
  s3?: { endpoint: string; bucket: string };
  /** the local s3rver's port; any free one by default */
  s3Port?: number;
}

export async function startLocal(opts: LocalOptions) {
  const port = opts.port;
  if (port !== 0 && !(await portFree(port, opts.host))) {
    throw new StartError(`port ${port} is already in use: stop what is using it, or set PORT to another port`);
  }
  const sms = (() => {
    try {
      return smsRulesFrom(process.env);
    } catch (err) {
      throw new StartError(err instanceof Error ? err.message : String(err));
    }
  })();
  mkdirSync(join(opts.dataDir, "db"), { recursive: true });
  const secret = localSecret(opts.dataDir);
  const db: DynamoLocal = await startDynamoLocal({ dbPath: join(opts.dataDir, "db"), port: Number(process.env.DYNAMO_PORT ?? 0) });
  let stopPoller: (() => Promise<void>) | undefined;
  let stopS3: (() => Promise<void>) | undefined;
  try {
    // Photos go to a bucket of the local S3 server, its files under DATA_DIR/s3, unless another S3 is named.
    const bucket = opts.s3
      ? {
          endpoint: opts.s3.endpoint,
          photos: s3({ ...opts.s3, region: process.env.AWS_REGION ?? "us-east-1", credentials: () => credentialsFromEnv() }),
        }
      : await startLocalS3({ directory: join(opts.dataDir, "s3"), host: opts.host, port: opts.s3Port ?? 0 });
    stopS3 = "stop" in bucket ? bucket.stop : undefined;
    const config = dynamoClientConfig(db.endpoint);
    const { created } = await ensureTable(new DynamoDBClient(config), opts.table);
    const store = createStore(opts.table, config);
    const { seeded } = await seedDemo(store);

    let ownUrl = "";
    const log: Log = opts.quiet ? () => {} : jsonLog;
    const snsConfig = opts.sns && {
      endpoint: opts.sns.endpoint,
      topicArn: opts.sns.topicArn,
      region: "ap-southeast-1",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    };
    const notifier: Notifier = snsConfig ? snsNotifier(snsConfig) : outboxNotifier(store, { print: !opts.quiet });
    const poller = streamPoller({
      config,
      table: opts.table,
      // SMS link to the web app this server serves (PUBLIC_URL when phones reach it by another address).
      handler: createStreamHandler({ store, notifier, log, siteUrl: () => process.env.PUBLIC_URL || ownUrl }),
      checkpointFile: join(opts.dataDir, "stream-checkpoint.json"),
      deadLetterFile: join(opts.dataDir, "stream-dead-letters.jsonl"),
      log,
    });
    stopPoller = () => poller.stop();
    await poller.start();

    // Same origin as the web app it serves: CORS lets in only the origins SITE_ORIGIN names (none by default).
    const siteOrigins = parseOrigins(process.env.SITE_ORIGIN);
    // Printed QR codes lead to PUBLIC_URL when set (a LAN address phones can reach), else to this server's own address.
    const publicUrl = () => process.env.PUBLIC_URL || ownUrl;
    const deps = {
      store,
      notifier,
      secret: async () => secret,
      siteOrigins: () => siteOrigins,
      sms,
      publicUrl,
      photos: bucket.photos,
    };
    const api = createApp(deps, [devRoutes()]);
    const site = new Hono();
    // The web app's files carry the same headers as CloudFront adds on AWS; the API sets its own.
    const webHeaders = Object.entries(
      siteHeaders(undefined, bucket.endpoint, mapTileOrigins(process.env.VITE_MAP_TILES, process.env.VITE_MAP_SUBDOMAINS)),
    );
    site.use("*", async (c, next) => {
      await next();
      if (c.req.path === "/api" || c.req.path.startsWith("/api/")) return;
      for (const [name, value] of webHeaders) c.res.headers.set(name, value);
    });
    // The API answers all of /api itself, its own 404s included, as on Lambda; the app shell never stands in for it.
    site.all("/api", (c) => api.fetch(c.req.raw, c.env));
    site.all("/api/*", (c) => api.fetch(c.req.raw, c.env));
    site.use("/*", serveStatic({ root: opts.webDir }));
    // The web app routes on the client: any other page gets the app shell.
    site.get("*", serveStatic({ root: opts.webDir, path: "index.html" }));

    const server = await new Promise<ReturnType<typeof serveNode>>((ready, failed) => {
      const s = serveNode({ fetch: site.fetch, port, hostname: opts.host }, () => ready(s));
      s.once("error", failed);
    });
    const address = server.address() as net.AddressInfo;
    const url = `http://${opts.host === "0.0.0.0" ? "localhost" : opts.host}:${address.port}`;
    ownUrl = url;
    const jobs = jobLoop(() => runJobs(store, { log }), opts.jobsEveryMs ?? 60_000, log);
    const stop = async () => {
      await jobs.stop();
      await poller.stop();
      await new Promise((done) => server.close(done));
      await stopS3?.();
      await db.stop();
    };
    return { url, store, created, seeded, stop, db, photoEndpoint: bucket.endpoint };
  } catch (err) {
    await stopPoller?.();
    await stopS3?.();
    await db.stop();
    throw err;
  }
}

async function main() {
  const dataDir = resolve(process.env.DATA_DIR ?? ".data");
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartError(`PORT must be a port number, not ${process.env.PORT}`);
  const local = await startLocal({
    dataDir,
    port,
    host: process.env.HOST ?? "127.0.0.1",
    table: process.env.TABLE_NAME ?? "microwish",
    webDir: resolve(process.env.WEB_DIR ?? "web/dist"),
    sns: process.env.SNS_ENDPOINT
      ? {
          endpoint: process.env.SNS_ENDPOINT,
          topicArn: process.env.TOPIC_ARN ?? "arn:aws:sns:ap-southeast-1:000000000000:microwish-wish-events",
        }
      : undefined,
    s3: process.env.S3_ENDPOINT ? { endpoint: process.env.S3_ENDPOINT, bucket: process.env.PHOTO_BUCKET ?? "microwish-photos" } : undefined,
    s3Port: process.env.S3_PORT ? Number(process.env.S3_PORT) : undefined,
  });
  const demo = await demoPeople(local.store);
  console.log(`\nMicrowish is running at ${local.url}  (data in ${dataDir}${local.seeded ? ", demo community seeded" : ""})`);
  console.log(
    `API docs: ${local.url}/api/docs · dev outbox: ${local.url}/api/dev/outbox?to=PHONE · demo tokens: ${local.url}/api/dev/demo\n`,
  );
  console.log("Demo sign-ins (phone → the code appears here and in the dev outbox):");
  for (const p of demo.people) console.log(`  ${p.role.padEnd(8)} ${p.name.padEnd(4, "　")} ${p.phone}`);
  console.log("\nCtrl-C stops the server and the database.");

  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await local.stop();
    process.exit(0);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("functions/local.ts")) {
  main().catch((err) => {
    const known = err instanceof StartError || err instanceof DynamoLocalError;
    console.error(`microwish: ${known ? err.message : (err?.stack ?? err)}`);
    process.exit(1);
  });
}
