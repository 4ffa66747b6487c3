import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import net from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { CreateTableCommand, DynamoDBClient, ListTablesCommand } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { describe, expect, inject, test } from "vitest";
import { DynamoLocalError, dynamoClientConfig, startDynamoLocal } from "../../functions/store/dynamo-local.js";
import { createTableInput } from "../../functions/store/table.js";
import { freshTable } from "../helpers/db.js";

const launcher = pathToFileURL(join(import.meta.dirname, "../../functions/store/dynamo-local.ts")).href;

function client(endpoint: string) {
  return new DynamoDBClient({ ...dynamoClientConfig(endpoint), maxAttempts: 1 });
}

async function answers(endpoint: string): Promise<boolean> {
  const c = client(endpoint);
  try {
    await c.send(new ListTablesCommand({}));
    return true;
  } catch {
    return false;
  } finally {
    c.destroy();
  }
}

/** The JVM is killed right away, but the port may take a moment to close. */
async function stopsAnswering(endpoint: string): Promise<boolean> {
  for (let i = 0; i < 200; i++) {
    if (!(await answers(endpoint))) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

function tempDir() {
  return mkdtempSync(join(tmpdir(), "microwish-dynamo-"));
}

/** A stand-in for `java` that reports a version and then behaves as `body` says. */
function fakeJava(version: string, body: string) {
  const file = join(tempDir(), "java");
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = -version ]; then echo '${version}' >&2; exit 0; fi\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

function listenOn(port = 0): Promise<net.Server> {
  return new Promise((done, fail) => {
    const server = net.createServer();
    server.once("error", fail);
    server.listen(port, () => done(server));
  });
}

async function rejection(promise: Promise<unknown>): Promise<DynamoLocalError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DynamoLocalError);
  return err as DynamoLocalError;
}

describe("startDynamoLocal", () => {
  test("starts on a free port and answers DynamoDB requests", async () => {
    const dynamo = await startDynamoLocal({});
    try {
      expect(dynamo.port).toBeGreaterThan(0);
      expect(dynamo.endpoint).toBe(`http://127.0.0.1:${dynamo.port}`);
      const c = client(dynamo.endpoint);
      await c.send(new CreateTableCommand(createTableInput("wishes")));
      // -sharedDb: a client in another region sees the same tables.
      const other = new DynamoDBClient({ ...dynamoClientConfig(dynamo.endpoint), region: "eu-west-1" });
      const listed = await other.send(new ListTablesCommand({}));
      expect(listed.TableNames).toEqual(["wishes"]);
      c.destroy();
      other.destroy();
    } finally {
      await dynamo.stop();
    }
  });

  test("listens on loopback only: the machine's other addresses get no answer", async () => {
    const outward = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === "IPv4" && !a.internal)?.address;
    expect(outward, "this machine has no address but loopback to try from").toBeDefined();
    const dynamo = await startDynamoLocal({});
    try {
      expect(await answers(dynamo.endpoint)).toBe(true);
      expect(await answers(`http://${outward}:${dynamo.port}`)).toBe(false);
      // The port is still free on that address: nothing of ours listens there.
      const other = await new Promise<net.Server>((done, fail) => {
        const server = net.createServer().once("error", fail);
        server.listen(dynamo.port, outward, () => done(server));
      });
      other.close();
    } finally {
      await dynamo.stop();
    }
  });

  test("keeps data on disk across a stop and a restart with the same dbPath", async () => {
    const dbPath = join(tempDir(), "data");
    const item = { pk: "W#1", sk: "W#1", title: "Walk the dog" };

    const first = await startDynamoLocal({ dbPath });
    const doc1 = DynamoDBDocumentClient.from(client(first.endpoint));
    await doc1.send(new CreateTableCommand(createTableInput("wishes")));
    await doc1.send(new PutCommand({ TableName: "wishes", Item: item }));
    doc1.destroy();
    await first.stop();

    const second = await startDynamoLocal({ dbPath });
    try {
      const doc2 = DynamoDBDocumentClient.from(client(second.endpoint));
      const got = await doc2.send(new GetCommand({ TableName: "wishes", Key: { pk: "W#1", sk: "W#1" } }));
      expect(got.Item).toEqual(item);
      doc2.destroy();
    } finally {
      await second.stop();
    }
  });

  test("stop() ends DynamoDB Local and frees its port", async () => {
    const dynamo = await startDynamoLocal({});
    await dynamo.stop();
    expect(await answers(dynamo.endpoint)).toBe(false);
    const reuse = await listenOn(dynamo.port);
    reuse.close();
  });

  test("a port already in use is named in the error", async () => {
    const server = await listenOn();
    const { port } = server.address() as net.AddressInfo;
    try {
      const err = await rejection(startDynamoLocal({ port }));
      expect(err.code).toBe("port_taken");
      expect(err.message).toBe(`Port ${port} is already in use: stop what listens there or pick another port for DynamoDB Local`);
    } finally {
      server.close();
    }
  });

  test("no java on PATH says how to install it", async () => {
    const path = process.env.PATH;
    process.env.PATH = tempDir();
    try {
      const err = await rejection(startDynamoLocal({}));
      expect(err.code).toBe("java_missing");
      expect(err.message).toBe("Java 17+ is needed to run DynamoDB Local: install it (Debian: apt-get install -y openjdk-17-jre-headless)");
    } finally {
      process.env.PATH = path;
    }
  });

  test("a Java older than 17 is refused with its version", async () => {
    const java = fakeJava('java version "1.8.0_392"', "exit 0");
    const err = await rejection(startDynamoLocal({ java }));
    expect(err.code).toBe("java_too_old");
    expect(err.message).toContain("needs Java 17+");
    expect(err.message).toContain("is Java 8");
  });

  test("a JVM that dies at start is reported with the end of its stderr", async () => {
    const java = fakeJava(
      'openjdk version "17.0.15" 2025-04-15',
      [
        "echo 'Exception in thread \"main\" java.lang.IllegalStateException: disk full' >&2",
        "echo '\tat com.amazonaws.Main.main(Main.java:1)' >&2",
        "exit 3",
      ].join("\n"),
    );
    const err = await rejection(startDynamoLocal({ java }));
    expect(err.code).toBe("exited");
    expect(err.message).toBe('DynamoDB Local exited early (code 3): Exception in thread "main" java.lang.IllegalStateException: disk full');
  });

  test("does not outlive the Node process that started it", async () => {
    const run = (script: string) =>
      spawn(
        process.execPath,
        [
          "--import",
          "tsx",
          "--input-type=module",
          "-e",
          `const { startDynamoLocal } = await import(${JSON.stringify(launcher)});
           const dynamo = await startDynamoLocal({});
           console.log(dynamo.endpoint);
           ${script}`,
        ],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
    const endpointOf = (child: ReturnType<typeof run>) =>
      new Promise<string>((done, fail) => {
        child.stdout.setEncoding("utf8");
        child.stdout.once("data", (line: string) => done(line.trim()));
        child.once("exit", (code) => fail(new Error(`exited with ${code} before starting DynamoDB Local`)));
      });
    // Listen for the exit from the start: the finishing parent may be gone before the other is up.
    const exited = (child: ReturnType<typeof run>) => new Promise((done) => child.once("exit", done));

    // One parent simply runs out of work; the other is stopped with SIGTERM while busy.
    const finishing = run("");
    const killed = run("setInterval(() => {}, 1000);");
    const bothExited = Promise.all([exited(finishing), exited(killed)]);
    const [finishedAt, killedAt] = await Promise.all([endpointOf(finishing), endpointOf(killed)]);
    killed.kill("SIGTERM");
    await bothExited;

    expect(await stopsAnswering(finishedAt)).toBe(true);
    expect(await stopsAnswering(killedAt)).toBe(true);
  }, 90_000);
});

describe("the run's shared DynamoDB Local", () => {
  test("is reachable from tests, and each fresh table starts empty", async () => {
    expect(process.env.DYNAMO_ENDPOINT).toBe(inject("dynamoEndpoint"));
    const a = await freshTable();
    const b = await freshTable();
    expect(a.tableName).not.toBe(b.tableName);
    await a.doc.send(new PutCommand({ TableName: a.tableName, Item: { pk: "U#1", sk: "U#1", note: undefined } }));
    const inA = await a.doc.send(new GetCommand({ TableName: a.tableName, Key: { pk: "U#1", sk: "U#1" } }));
    const inB = await b.doc.send(new GetCommand({ TableName: b.tableName, Key: { pk: "U#1", sk: "U#1" } }));
    expect(inA.Item).toEqual({ pk: "U#1", sk: "U#1" });
    expect(inB.Item).toBeUndefined();
  });
});
