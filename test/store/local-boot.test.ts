import { spawn } from "node:child_process";
import { mkdtempSync, symlinkSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Runs `functions/local.ts` as `npm start` does and collects what a person would see. */
function boot(env: Record<string, string>) {
  return new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(process.execPath, ["--disable-warning=NodeVersionSupportWarning", "--import", "tsx", "functions/local.ts"], {
      env: { ...process.env, DATA_DIR: mkdtempSync(join(tmpdir(), "mw-boot-")), ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, stderr });
    });
  });
}

describe("npm start refuses clearly", () => {
  it("says in one line that Java is missing", async () => {
    const bin = mkdtempSync(join(tmpdir(), "mw-bin-"));
    symlinkSync(process.execPath, join(bin, "node"));
    const { code, stderr } = await boot({ PATH: bin, PORT: "0" });
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toEqual([expect.stringMatching(/^microwish: Java 17\+ is needed to run DynamoDB Local/)]);
  });

  it("says in one line that the port is taken", async () => {
    const busy = net.createServer();
    await new Promise<void>((ready) => busy.listen(0, "127.0.0.1", ready));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const { code, stderr } = await boot({ PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr.trim().split("\n")).toEqual([
        `microwish: port ${port} is already in use: stop what is using it, or set PORT to another port`,
      ]);
    } finally {
      busy.close();
    }
  });
});
