// BullMQ baseline of Sluice's benchmark (driven by dev.sluice.bench.BullMqBaseline).
//
//   node baseline.mjs producer '<json>'   adds jobs for durationMs with `concurrency` concurrent adders, then exits
//   node baseline.mjs worker   '<json>'   processes jobs (POST to the sink) until SIGTERM
//
// json: { redisPort, tag, queues, limiter: {max, duration} | null, concurrency, durationMs, sinkUrl, payloadBytes }
// One queue per key (queues > 1): BullMQ's open-source rate limiter is per queue, so per-key limits need one queue
// (and one Worker) per key. Jobs are removed on completion (Redis memory stays bounded); 3 retries like Sluice.
// Progress and results are JSON lines on stdout.
import { Queue, Worker } from "bullmq";
import IORedis from "ioredis";

const [role, json] = process.argv.slice(2);
const cfg = JSON.parse(json);
const connection = new IORedis({ host: "127.0.0.1", port: cfg.redisPort, maxRetriesPerRequest: null });
const names = Array.from({ length: cfg.queues }, (_, i) => `${cfg.tag}-${i}`);
const out = (o) => process.stdout.write(JSON.stringify(o) + "\n");

if (role === "producer") {
  const queues = names.map((n) => new Queue(n, { connection }));
  const body = "x".repeat(cfg.payloadBytes);
  const jobOptions = { attempts: 4, backoff: { type: "exponential", delay: 1000 },
                       removeOnComplete: true, removeOnFail: 1000 };
  const start = Date.now();
  const deadline = start + cfg.durationMs;
  let seq = 0, added = 0, errors = 0;
  const timer = setInterval(() => out({ added, errors, elapsedMs: Date.now() - start }), 250);
  const adder = async () => {
    while (Date.now() < deadline) {
      const s = seq++;
      const q = queues[s % queues.length];
      try {
        await q.add("deliver", { seq: s, key: q.name, body }, jobOptions);
        added++;
      } catch (e) {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: cfg.concurrency }, adder));
  clearInterval(timer);
  out({ done: true, added, errors, elapsedMs: Date.now() - start });
  await Promise.all(queues.map((q) => q.close()));
  await connection.quit();
  process.exit(0);
} else if (role === "worker") {
  let delivered = 0, failed = 0;
  const processor = async (job) => {
    const res = await fetch(`${cfg.sinkUrl}/${cfg.tag}/m`, {
      method: "POST",
      headers: { "content-type": "application/octet-stream", "x-bench-seq": String(job.data.seq),
                 "x-bench-key": cfg.queues > 1 ? job.data.key : "", "upstash-retried": String(job.attemptsMade) },
      body: job.data.body,
    });
    await res.arrayBuffer();
    if (!res.ok) { failed++; throw new Error(`sink answered ${res.status}`); }
    delivered++;
  };
  const perWorker = cfg.queues > 1 ? 1 : cfg.concurrency;
  const workers = names.map((n) => new Worker(n, processor, {
    connection, concurrency: perWorker, limiter: cfg.limiter || undefined,
    removeOnComplete: { count: 0 }, removeOnFail: { count: 1000 },
  }));
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  out({ ready: true, workers: workers.length, concurrencyPerWorker: perWorker });
  const timer = setInterval(() => out({ delivered, failed }), 1000);
  const stop = async () => {
    clearInterval(timer);
    await Promise.all(workers.map((w) => w.close(true)));
    out({ done: true, delivered, failed });
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
} else {
  console.error("usage: node baseline.mjs producer|worker '<json>'");
  process.exit(2);
}
