// Test harness of the SDK compatibility suite: the real Sluice artifact as a child process, and a recording
// HTTP sink that plays the destination. Kept outside test/ so that `node --test` does not run it as a test file.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { Client, QstashError } from "@upstash/qstash";

const here = path.dirname(fileURLToPath(import.meta.url));

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A TCP port that is free right now (the OS picks it). */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address();
  server.close();
  await once(server, "close");
  return port;
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor(what, probe, { timeoutMs = 10_000, intervalMs = 25 } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    }
    await sleep(intervalMs);
  }
}

/**
 * The real artifact, started exactly as a user starts it: `java -jar sluice.jar` with free ports, a fresh data
 * directory, a test token and retry delays scaled down (SLUICE_DELIVERY_TIME_SCALE=0.001).
 */
export class SluiceProcess {
  static async start({ token, bootTimeoutMs = 180_000 } = {}) {
    if (process.env.SLUICE_COMPAT_EXISTING_URL) {
      // development shortcut: reuse a server that is already running (started with SLUICE_TOKEN=<token> and
      // SLUICE_DELIVERY_TIME_SCALE=0.001); nothing is started or stopped
      return new ExistingSluice(process.env.SLUICE_COMPAT_EXISTING_URL.replace(/\/$/, ""));
    }
    const jar = path.resolve(process.env.SLUICE_JAR ?? path.join(here, "..", "..", "target", "sluice.jar"));
    if (!existsSync(jar)) {
      throw new Error(`Sluice artifact not found at ${jar}: build it with mvn -B package -DskipTests or set SLUICE_JAR`);
    }
    const port = await freePort();
    const brokerPort = await freePort();
    const dataDir = mkdtempSync(path.join(tmpdir(), "sluice-compat-"));
    const logDir = path.resolve(process.env.SLUICE_COMPAT_LOG_DIR ?? path.join(path.dirname(jar), "compat"));
    mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, "sluice.log");
    const log = createWriteStream(logFile, { flags: "a" });
    const child = spawn("java", ["-Xmx1g", "-jar", jar], {
      env: {
        ...process.env,
        SLUICE_PORT: String(port),
        SLUICE_BROKER_PORT: String(brokerPort),
        SLUICE_DATA_DIR: dataDir,
        SLUICE_TOKEN: token,
        SLUICE_DELIVERY_TIME_SCALE: "0.001",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    const sluice = new SluiceProcess(child, port, dataDir, logFile);
    try {
      await sluice.#awaitReady(bootTimeoutMs);
    } catch (error) {
      await sluice.stop();
      throw error;
    }
    return sluice;
  }

  constructor(child, port, dataDir, logFile) {
    this.child = child;
    this.port = port;
    this.dataDir = dataDir;
    this.logFile = logFile;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.exited = false;
    child.once("exit", () => { this.exited = true; });
    // never leave an orphaned server behind, even when the test process ends abruptly
    this.killOnExit = () => { if (!this.exited) child.kill("SIGKILL"); };
    process.once("exit", this.killOnExit);
  }

  async #awaitReady(timeoutMs) {
    const started = Date.now();
    const deadline = started + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`Sluice exited during boot, see ${this.logFile}`);
      try {
        const response = await fetch(`${this.baseUrl}/health/ready`, { signal: AbortSignal.timeout(5000) });
        const body = await response.text();
        // Payara answers UP before the application is deployed; wait for Sluice's own check.
        if (response.status === 200 && body.includes('"sluice"')) {
          this.bootMillis = Date.now() - started;
          return;
        }
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(`Sluice was not ready within ${timeoutMs} ms, see ${this.logFile}`);
  }

  /** SIGTERM like an operator, SIGKILL after 30 s; removes the data directory. */
  async stop() {
    if (!this.exited) {
      const exit = once(this.child, "exit");
      this.child.kill("SIGTERM");
      const timer = setTimeout(() => this.child.kill("SIGKILL"), 30_000);
      await exit;
      clearTimeout(timer);
    }
    process.removeListener("exit", this.killOnExit);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

class ExistingSluice {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.bootMillis = 0;
    this.logFile = "(existing server)";
  }

  async stop() {}
}

/**
 * A local destination on 127.0.0.1 that records every request (method, url, headers, body, arrival and answer
 * time) and answers as scripted per path prefix.
 */
export class Sink {
  static async start() {
    const sink = new Sink();
    sink.server.listen(0, "127.0.0.1");
    await once(sink.server, "listening");
    sink.baseUrl = `http://127.0.0.1:${sink.server.address().port}`;
    return sink;
  }

  constructor() {
    this.requests = [];
    this.routes = [];
    this.prefixCounter = 0;
    this.server = http.createServer((req, res) => this.#handle(req, res));
    this.server.keepAliveTimeout = 1000;
  }

  async #handle(req, res) {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    const record = {
      method: req.method,
      url: req.url,
      path: req.url.split("?")[0],
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
      arrivedAt: performance.now(),
      arrivedWall: Date.now(),
      answeredAt: undefined,
    };
    this.requests.push(record);
    res.once("close", () => { record.answeredAt = performance.now(); });
    const route = this.routes.find((r) => record.path.startsWith(r.prefix));
    let answer = { status: 200, body: "ok" };
    if (route) {
      route.calls += 1;
      try {
        answer = { ...answer, ...(await route.handler(record, route.calls)) };
      } catch (error) {
        answer = { status: 599, body: String(error) };
      }
    }
    if (answer.delayMs) await sleep(answer.delayMs);
    res.writeHead(answer.status, answer.headers ?? { "content-type": "text/plain" });
    res.end(answer.body);
  }

  /** A fresh path prefix such as `/t7-name`, so each test sees only its own requests. */
  prefix(name) {
    this.prefixCounter += 1;
    return `/t${this.prefixCounter}-${name}`;
  }

  /** `handler(record, nthCall)` returns (or resolves to) `{status, headers, body, delayMs}`; later routes lose. */
  answer(prefix, handler) {
    this.routes.push({ prefix, handler, calls: 0 });
  }

  /** Holds every request under `prefix` until `release()`; returns the release function. */
  hold(prefix) {
    let release;
    const gate = new Promise((resolve) => { release = resolve; });
    this.answer(prefix, async () => { await gate; return {}; });
    return release;
  }

  received(prefix) {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  async awaitCount(prefix, count, timeoutMs = 10_000) {
    await waitFor(`${count} request(s) under ${prefix}`, () => this.received(prefix).length >= count, { timeoutMs });
    return this.received(prefix);
  }

  /** Waits until every request under `prefix` has been answered. */
  async awaitAnswered(prefix, timeoutMs = 10_000) {
    await waitFor(`answers under ${prefix}`, () => this.received(prefix).every((r) => r.answeredAt !== undefined), { timeoutMs });
    return this.received(prefix);
  }

  async close() {
    this.server.closeAllConnections();
    this.server.close();
  }
}

/** The most requests in flight at once at the sink (between arrival and answer). */
export function maxConcurrent(requests) {
  const events = [];
  for (const r of requests) {
    events.push([r.arrivedAt, 1]);
    events.push([r.answeredAt ?? Number.POSITIVE_INFINITY, -1]);
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let max = 0;
  for (const [, delta] of events) {
    current += delta;
    max = Math.max(max, current);
  }
  return max;
}

/** Arrival jitter between Sluice starting a request and the sink seeing it. */
export const JITTER_MS = 150;

/**
 * The most requests in one fixed rate window as the sink sees them: a window opens with the first request after
 * the previous window ended and lasts one period (less the measuring jitter) — QStash's anchored period.
 */
export function maxStartsPerWindow(requests, periodMs) {
  const length = periodMs - JITTER_MS;
  const arrivals = requests.map((r) => r.arrivedAt).sort((a, b) => a - b);
  let max = 0;
  let count = 0;
  let windowStart;
  for (const arrival of arrivals) {
    if (windowStart === undefined || arrival - windowStart >= length) {
      windowStart = arrival;
      count = 0;
    }
    count += 1;
    max = Math.max(max, count);
  }
  return max;
}

/** Arrival offsets in ms after the first arrival, for assertion messages. */
export function offsets(requests) {
  const first = Math.min(...requests.map((r) => r.arrivedAt));
  return requests.map((r) => Math.round(r.arrivedAt - first)).sort((a, b) => a - b);
}

/** Expects `promise` to reject with a QstashError of `status` whose message is the server's `{"error": ...}`. */
export async function rejectsWith(status, promise) {
  await assert.rejects(promise, (error) => {
    assert.ok(error instanceof QstashError, `expected a QstashError, got ${error?.constructor?.name}: ${error?.message}`);
    assert.equal(error.status, status, error.message);
    assert.equal(typeof JSON.parse(error.message).error, "string", error.message);
    return true;
  });
}

/** What a test file shares: a sink, one Sluice process and an SDK client pointed at it. */
export async function startSuite(token) {
  const sink = await Sink.start();
  const sluice = await SluiceProcess.start({ token });
  const client = new Client({ baseUrl: sluice.baseUrl, token });
  console.log(`# Sluice ready in ${sluice.bootMillis} ms at ${sluice.baseUrl} (log: ${sluice.logFile})`);
  return { sink, sluice, client };
}

export async function stopSuite({ sluice, sink } = {}) {
  await sluice?.stop();
  await sink?.close();
}
