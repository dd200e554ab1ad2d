// The unmodified @upstash/qstash 2.12.0 SDK against the real target/sluice.jar: callback configuration headers,
// redaction, queues and URL groups. One Sluice process serves the whole file; tests run one after another.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { Client } from "@upstash/qstash";
import { maxConcurrent, rejectsWith, sleep, startSuite, stopSuite, waitFor } from "../lib/harness.mjs";

const TOKEN = process.env.SLUICE_COMPAT_TOKEN ?? "compat-token";

let sluice;
let sink;
/** @type {Client} */
let client;


/** The raw API, for requests the SDK cannot make (e.g. bad header values it would never send). */
async function raw(method, path, { headers = {}, body } = {}) {
  const response = await fetch(`${sluice.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, ...headers },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/** Keeps names unique when the suite runs again against the same server (SLUICE_COMPAT_EXISTING_URL). */
const RUN = Date.now().toString(36);
const name = (base) => `${base}-${RUN}`;
/** A header's values from a message's `header` object, name case-insensitive. */
const headerOf = (header, wanted) => Object.entries(header).find(([n]) => n.toLowerCase() === wanted.toLowerCase())?.[1];

const redacted = (value) => `REDACTED:${createHash("sha256").update(value).digest("hex")}`;

/** The message ids the logs show for this destination URL. */
async function messageIdsTo(url) {
  const { logs } = await client.logs({ filter: { url } });
  return [...new Set(logs.map((log) => log.messageId))];
}

/** Waits until the message is in the given state. */
async function awaitState(messageId, state, timeoutMs = 10_000) {
  return waitFor(`${messageId} ${state}`, async () => {
    const { logs } = await client.logs({ filter: { messageIds: [messageId] } });
    return logs.some((log) => log.state === state) && logs;
  }, { timeoutMs });
}

describe("@upstash/qstash 2.12.0 against Sluice: callback configuration, redaction, queues, URL groups", { concurrency: false }, () => {
  before(async () => {
    ({ sink, sluice, client } = await startSuite(TOKEN));
  }, { timeout: 200_000 });

  after(() => stopSuite({ sluice, sink }), { timeout: 60_000 });

  describe("Upstash-Callback-* / Upstash-Failure-Callback-*", () => {
    it("the callback message is configured as if published with Upstash-<X>: method, forwards, retries, label, flow control", async () => {
      const dest = sink.prefix("cbcfg-dest");
      const cb = sink.prefix("cbcfg-cb");
      sink.answer(cb, (_record, n) => ({ status: n < 3 ? 500 : 200 }));
      const { messageId } = await client.publish({
        url: `${sink.baseUrl}${dest}/x`,
        body: "payload",
        retries: 0,
        callback: `${sink.baseUrl}${cb}/c`,
        headers: {
          "Upstash-Callback-Method": "PUT",
          "Upstash-Callback-Retries": "2",
          "Upstash-Callback-Retry-Delay": "10",
          "Upstash-Callback-Timeout": "5s",
          "Upstash-Callback-Label": "cb-label",
          "Upstash-Callback-Forward-X-Cb": "yes",
          "Upstash-Callback-Forward-Upstash-Workflow-Callback": "true",
          "Upstash-Callback-Workflow-RunId": "wfr_1",
          "Upstash-Callback-Flow-Control-Key": name("compat-cb-key"),
          "Upstash-Callback-Flow-Control-Value": "parallelism=1",
        },
      });
      const callbacks = await sink.awaitCount(cb, 3);
      for (const callback of callbacks) {
        assert.equal(callback.method, "PUT");
        assert.equal(callback.headers["x-cb"], "yes");
        assert.equal(callback.headers["upstash-workflow-callback"], "true");
        assert.equal(callback.headers["content-type"], "application/json");
        assert.equal(JSON.parse(callback.body).sourceMessageId, messageId);
      }
      assert.deepEqual(callbacks.map((c) => c.headers["upstash-retried"]), ["0", "1", "2"], "retries of the callback: 2");
      const [callbackId] = await messageIdsTo(`${sink.baseUrl}${cb}/c`);
      const message = await client.messages.get(callbackId);
      assert.equal(message.method, "PUT");
      assert.equal(message.maxRetries, 2);
      assert.equal(message.retryDelayExpression, "10");
      assert.deepEqual(message.labels, ["cb-label"]);
      assert.equal(message.flowControlKey, name("compat-cb-key"));
      assert.equal(message.parallelism, 1);
      assert.equal((await client.flowControl.get(name("compat-cb-key"))).flowControlKey, name("compat-cb-key"));
    });

    it("Upstash-Callback-Delay holds the callback back", async () => {
      const dest = sink.prefix("cbdelay-dest");
      const cb = sink.prefix("cbdelay-cb");
      await client.publish({ url: `${sink.baseUrl}${dest}/x`, body: "p", callback: `${sink.baseUrl}${cb}/c`, headers: { "Upstash-Callback-Delay": "2s" } });
      const [delivery] = await sink.awaitCount(dest, 1);
      const [callback] = await sink.awaitCount(cb, 1, 15_000);
      assert.ok(callback.arrivedAt - delivery.arrivedAt >= 1_800, `callback after ${Math.round(callback.arrivedAt - delivery.arrivedAt)} ms`);
    });

    it("the failure callback is configured by Upstash-Failure-Callback-<X> (the workflow SDK's forwards)", async () => {
      const dest = sink.prefix("fcbcfg-dest");
      const fcb = sink.prefix("fcbcfg-fcb");
      sink.answer(dest, () => ({ status: 500, body: "boom" }));
      sink.answer(fcb, (_record, n) => ({ status: n === 1 ? 503 : 200 }));
      const { messageId } = await client.publish({
        url: `${sink.baseUrl}${dest}/x`,
        body: "bad",
        retries: 0,
        failureCallback: `${sink.baseUrl}${fcb}/f`,
        headers: {
          "Upstash-Failure-Callback-Retries": "1",
          "Upstash-Failure-Callback-Method": "PATCH",
          "Upstash-Failure-Callback-Forward-Upstash-Workflow-Failure-Callback": "true",
          "Upstash-Failure-Callback-Forward-Upstash-Workflow-Is-Failure": "true",
          "Upstash-Failure-Callback-Workflow-RunId": "wfr_2",
        },
      });
      const attempts = await sink.awaitCount(fcb, 2);
      for (const attempt of attempts) {
        assert.equal(attempt.method, "PATCH");
        assert.equal(attempt.headers["upstash-workflow-failure-callback"], "true");
        assert.equal(attempt.headers["upstash-workflow-is-failure"], "true");
        const payload = JSON.parse(attempt.body);
        assert.equal(payload.sourceMessageId, messageId);
        assert.equal(payload.status, 500);
        assert.equal(Buffer.from(payload.body, "base64").toString(), "boom");
        assert.match(payload.dlqId, /\S/);
      }
      await sleep(300);
      assert.equal(sink.received(fcb).length, 2, "1 retry of the failure callback, not the source's 0 or the default 3");
    });

    it("without configuration the callback keeps POST and the source's retries", async () => {
      const dest = sink.prefix("cbdefault-dest");
      const cb = sink.prefix("cbdefault-cb");
      await client.publish({ url: `${sink.baseUrl}${dest}/x`, body: "p", retries: 1, timeout: 7, callback: `${sink.baseUrl}${cb}/c` });
      const [callback] = await sink.awaitCount(cb, 1);
      assert.equal(callback.method, "POST");
      const [callbackId] = await messageIdsTo(`${sink.baseUrl}${cb}/c`);
      assert.equal((await client.messages.get(callbackId)).maxRetries, 1);
    });

    it("a bad callback configuration is rejected at publish time with 400 and nothing is stored", async () => {
      const dest = sink.prefix("cbbad-dest");
      const url = `${sink.baseUrl}${dest}/x`;
      for (const headers of [
        { "Upstash-Callback-Retries": "many" },
        { "Upstash-Callback-Timeout": "forever" },
        { "Upstash-Callback-Method": "FETCH" },
        { "Upstash-Callback-Delay": "soon" },
        { "Upstash-Callback-Flow-Control-Key": "k", "Upstash-Callback-Flow-Control-Value": "parallelism=0" },
        { "Upstash-Failure-Callback-Retry-Delay": "2 ** retried" },
      ]) {
        await rejectsWith(400, client.publish({ url, body: "x", callback: `${sink.baseUrl}${dest}/cb`, failureCallback: `${sink.baseUrl}${dest}/fcb`, headers }));
      }
      await sleep(300);
      assert.deepEqual(await messageIdsTo(url), []);
      assert.equal(sink.received(dest).length, 0);
    });
  });

  describe("Upstash-Redact-Fields", () => {
    it("deliveries carry the real values; messages.get shows REDACTED:<sha256> for the body and the named headers", async () => {
      const p = sink.prefix("redact");
      const release = sink.hold(p);
      const { messageId } = await client.publishJSON({
        url: `${sink.baseUrl}${p}/x`,
        body: { secret: "s3cr3t" },
        headers: { Authorization: "Bearer top-secret", "X-Plain": "visible" },
        redact: { body: true, header: ["Authorization"] },
      });
      const [delivery] = await sink.awaitCount(p, 1);
      assert.equal(delivery.body, '{"secret":"s3cr3t"}');
      assert.equal(delivery.headers.authorization, "Bearer top-secret");
      const message = await client.messages.get(messageId);
      assert.equal(message.body, redacted('{"secret":"s3cr3t"}'));
      assert.deepEqual(headerOf(message.header, "Authorization"), [redacted("Bearer top-secret")]);
      assert.deepEqual(headerOf(message.header, "X-Plain"), ["visible"]);
      release();
    });

    it("header redacts every header; the DLQ keeps them redacted and a retry delivers the real values", async () => {
      const p = sink.prefix("redact-dlq");
      sink.answer(p, (_record, n) => ({ status: n === 1 ? 500 : 200 }));
      const { messageId } = await client.publish({
        url: `${sink.baseUrl}${p}/x`,
        body: "plain body",
        retries: 0,
        headers: { "X-Token": "t0k3n" },
        redact: { header: true },
      });
      await awaitState(messageId, "FAILED");
      const { messages } = await client.dlq.listMessages({ filter: { messageId } });
      assert.equal(messages.length, 1);
      assert.equal(messages[0].body, "plain body");
      assert.deepEqual(headerOf(messages[0].header, "X-Token"), [redacted("t0k3n")]);
      await client.dlq.retry(messages[0].dlqId);
      const deliveries = await sink.awaitCount(p, 2);
      assert.equal(deliveries[1].headers["x-token"], "t0k3n");
    });

    it("the callback of a redacted message shows its body redacted (it carries the source's body and headers)", async () => {
      const dest = sink.prefix("redact-cb-dest");
      const cb = sink.prefix("redact-cb");
      await client.publish({ url: `${sink.baseUrl}${dest}/x`, body: "secret", callback: `${sink.baseUrl}${cb}/c`, redact: { header: ["X-A"] } });
      const [callback] = await sink.awaitCount(cb, 1);
      assert.equal(Buffer.from(JSON.parse(callback.body).sourceBody, "base64").toString(), "secret");
      const [callbackId] = await messageIdsTo(`${sink.baseUrl}${cb}/c`);
      assert.match((await client.messages.get(callbackId)).body, /^REDACTED:[0-9a-f]{64}$/);
    });

    it("an unknown field is rejected with 400", async () => {
      const p = sink.prefix("redact-bad");
      const answer = await raw("POST", `/v2/publish/${sink.baseUrl}${p}/x`, { headers: { "Upstash-Redact-Fields": "body,password" }, body: "x" });
      assert.equal(answer.status, 400, answer.body);
      assert.match(JSON.parse(answer.body).error, /Redact/);
      // the docs' spelling of all headers and single headers is accepted too
      const ok = await raw("POST", `/v2/publish/${sink.baseUrl}${p}/y`, { headers: { "Upstash-Redact-Fields": "headers,headers[X-A]", "Upstash-Forward-X-A": "a" }, body: "x" });
      assert.equal(ok.status, 200, ok.body);
      const message = await client.messages.get(JSON.parse(ok.body).messageId);
      assert.deepEqual(headerOf(message.header, "X-A"), [redacted("a")]);
    });
  });

  describe("queues", () => {
    it("upsert, get, list, pause, resume, delete", async () => {
      const queue = client.queue({ queueName: name("compat-q-admin") });
      await queue.upsert({ parallelism: 3 });
      let info = await queue.get();
      assert.equal(info.name, name("compat-q-admin"));
      assert.equal(info.parallelism, 3);
      assert.equal(info.paused, false);
      assert.equal(info.lag, 0);
      assert.equal(typeof info.createdAt, "number");
      assert.ok((await client.queue().list()).some((q) => q.name === name("compat-q-admin")));
      await queue.pause();
      assert.equal((await queue.get()).paused, true);
      await queue.resume();
      assert.equal((await queue.get()).paused, false);
      await queue.upsert({ parallelism: 2, paused: true });
      info = await queue.get();
      assert.equal(info.parallelism, 2);
      assert.equal(info.paused, true);
      await queue.delete();
      await rejectsWith(404, queue.get());
      await rejectsWith(404, queue.pause());
      await rejectsWith(400, client.queue({ queueName: "bad!name" }).upsert({}));
      await rejectsWith(400, client.queue({ queueName: name("compat-q-bad") }).upsert({ parallelism: 0 }));
      await rejectsWith(404, client.queue({ queueName: name("compat-q-bad") }).get());
    });

    it("enqueueJSON creates the queue and delivers one at a time in order (parallelism 1); queueName in messages and logs", async () => {
      const p = sink.prefix("queue-fifo");
      sink.answer(p, () => ({ delayMs: 150 }));
      const queue = client.queue({ queueName: name("compat-q-fifo") });
      const ids = [];
      for (let i = 0; i < 5; i++) {
        ids.push((await queue.enqueueJSON({ url: `${sink.baseUrl}${p}/${i}`, body: { i } })).messageId);
      }
      const info = await queue.get();
      assert.equal(info.parallelism, 1);
      const deliveries = await sink.awaitCount(p, 5);
      await sink.awaitAnswered(p);
      assert.deepEqual(deliveries.map((d) => JSON.parse(d.body).i), [0, 1, 2, 3, 4]);
      assert.equal(maxConcurrent(deliveries), 1);
      const message = await client.messages.get(ids[0]);
      assert.equal(message.queueName, name("compat-q-fifo"));
      await waitFor("lag 0", async () => (await queue.get()).lag === 0);
      const { logs } = await client.logs({ filter: { queueName: name("compat-q-fifo"), state: "DELIVERED" } });
      assert.deepEqual(new Set(logs.map((l) => l.messageId)), new Set(ids));
      assert.ok(logs.every((l) => l.queueName === name("compat-q-fifo")));
    });

    it("the queue's parallelism bounds deliveries in flight, and a new upsert changes it for waiting messages", async () => {
      const p = sink.prefix("queue-par");
      sink.answer(p, () => ({ delayMs: 300 }));
      const queue = client.queue({ queueName: name("compat-q-par") });
      await queue.upsert({ parallelism: 2 });
      for (let i = 0; i < 6; i++) await queue.enqueue({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}` });
      await sink.awaitCount(p, 6);
      await sink.awaitAnswered(p);
      assert.equal(maxConcurrent(sink.received(p)), 2);

      const q = sink.prefix("queue-par3");
      const release = sink.hold(q);
      await queue.upsert({ parallelism: 1, paused: true });
      for (let i = 0; i < 4; i++) await queue.enqueue({ url: `${sink.baseUrl}${q}/${i}`, body: `${i}` });
      await queue.upsert({ parallelism: 3 });
      await sink.awaitCount(q, 3);
      await sleep(300);
      assert.equal(sink.received(q).length, 3, "3 in flight, the 4th waits");
      release();
      await sink.awaitCount(q, 4);
    });

    it("a paused queue holds its messages (lag counts them) until resumed; deleting a queue cancels what waits", async () => {
      const p = sink.prefix("queue-pause");
      const queue = client.queue({ queueName: name("compat-q-pause") });
      await queue.upsert({ paused: true });
      const { messageId } = await queue.enqueue({ url: `${sink.baseUrl}${p}/a`, body: "a" });
      await sleep(500);
      assert.equal(sink.received(p).length, 0);
      assert.equal((await queue.get()).lag, 1);
      await queue.resume();
      await sink.awaitCount(p, 1);
      await awaitState(messageId, "DELIVERED");

      await queue.pause();
      const waiting = await queue.enqueue({ url: `${sink.baseUrl}${p}/b`, body: "b" });
      await queue.delete();
      await awaitState(waiting.messageId, "CANCELLED");
      await sleep(300);
      assert.equal(sink.received(p).length, 1);
    });

    it("batch entries with queueName are enqueued; an invalid queue name rejects the whole batch", async () => {
      const p = sink.prefix("queue-batch");
      const answer = await client.batchJSON([
        { queueName: name("compat-q-batch"), url: `${sink.baseUrl}${p}/1`, body: { n: 1 } },
        { url: `${sink.baseUrl}${p}/2`, body: { n: 2 } },
      ]);
      assert.equal(answer.length, 2);
      await sink.awaitCount(p, 2);
      assert.equal((await client.messages.get(answer[0].messageId)).queueName, name("compat-q-batch"));
      assert.equal((await client.messages.get(answer[1].messageId)).queueName, undefined);
      assert.equal((await client.queue({ queueName: name("compat-q-batch") }).get()).parallelism, 1);

      const bad = sink.prefix("queue-batch-bad");
      await rejectsWith(400, client.batchJSON([
        { url: `${sink.baseUrl}${bad}/1`, body: {} },
        { queueName: "no spaces", url: `${sink.baseUrl}${bad}/2`, body: {} },
      ]));
      await rejectsWith(400, client.queue({ queueName: "bad!name" }).enqueue({ url: `${sink.baseUrl}${bad}/3`, body: "x" }));
      await sleep(300);
      assert.equal(sink.received(bad).length, 0);
    });

    it("a queued message with its own flow-control key runs under the key, not the queue's pause", async () => {
      const p = sink.prefix("queue-key");
      const queue = client.queue({ queueName: name("compat-q-key") });
      await queue.upsert({ paused: true });
      const { messageId } = await queue.enqueue({ url: `${sink.baseUrl}${p}/a`, body: "a", flowControl: { key: name("compat-q-key-fc"), parallelism: 1 } });
      await sink.awaitCount(p, 1);
      const message = await client.messages.get(messageId);
      assert.equal(message.queueName, name("compat-q-key"));
      assert.equal(message.flowControlKey, name("compat-q-key-fc"));
    });

    it("failed queued messages are found in the DLQ by queueName; messages.cancel filters by queueName", async () => {
      const p = sink.prefix("queue-dlq");
      sink.answer(p, () => ({ status: 500 }));
      const queue = client.queue({ queueName: name("compat-q-dlq") });
      const { messageId } = await queue.enqueue({ url: `${sink.baseUrl}${p}/a`, body: "a", retries: 0 });
      await awaitState(messageId, "FAILED");
      const { messages } = await client.dlq.listMessages({ filter: { queueName: name("compat-q-dlq") } });
      assert.deepEqual(messages.map((m) => m.messageId), [messageId]);
      assert.equal(messages[0].queueName, name("compat-q-dlq"));

      const other = client.queue({ queueName: name("compat-q-cancel") });
      await other.upsert({ paused: true });
      const { messageId: waiting } = await other.enqueue({ url: `${sink.baseUrl}${p}/b`, body: "b" });
      const cancelled = await client.messages.cancel({ filter: { queueName: name("compat-q-cancel") } });
      assert.equal(cancelled.cancelled ?? cancelled, 1);
      await awaitState(waiting, "CANCELLED");
    });
  });

  describe("URL groups", () => {
    it("addEndpoints, get, list, publish fans out (one message per endpoint, Upstash-Topic-Name), removeEndpoints, delete", async () => {
      const p = sink.prefix("group");
      await client.urlGroups.addEndpoints({ name: name("compat-group"), endpoints: [{ name: "one", url: `${sink.baseUrl}${p}/1` }, { url: `${sink.baseUrl}${p}/2` }] });
      let group = await client.urlGroups.get(name("compat-group"));
      assert.equal(group.name, name("compat-group"));
      assert.deepEqual(group.endpoints.map((e) => e.url), [`${sink.baseUrl}${p}/1`, `${sink.baseUrl}${p}/2`]);
      assert.equal(group.endpoints[0].name, "one");
      assert.ok((await client.urlGroups.list()).some((g) => g.name === name("compat-group")));

      const published = await client.publishJSON({ urlGroup: name("compat-group"), body: { hello: "group" } });
      assert.ok(Array.isArray(published), JSON.stringify(published));
      assert.equal(published.length, 2);
      const deliveries = await sink.awaitCount(p, 2);
      assert.deepEqual(deliveries.map((d) => d.path).sort(), [`${p}/1`, `${p}/2`]);
      for (const delivery of deliveries) {
        assert.equal(delivery.headers["upstash-topic-name"], name("compat-group"));
        assert.deepEqual(JSON.parse(delivery.body), { hello: "group" });
      }
      const first = await client.messages.get(published.find((m) => m.url.endsWith("/1")).messageId);
      assert.equal(first.urlGroup, name("compat-group"));
      assert.equal(first.endpointName, "one");
      const { logs } = await client.logs({ filter: { urlGroup: name("compat-group"), state: "DELIVERED" } });
      assert.equal(new Set(logs.map((l) => l.messageId)).size, 2);

      await client.urlGroups.removeEndpoints({ name: name("compat-group"), endpoints: [{ name: "one" }] });
      group = await client.urlGroups.get(name("compat-group"));
      assert.deepEqual(group.endpoints.map((e) => e.url), [`${sink.baseUrl}${p}/2`]);
      const batch = await client.batchJSON([{ urlGroup: name("compat-group"), body: { b: 1 } }, { url: `${sink.baseUrl}${p}/3`, body: { b: 2 } }]);
      assert.ok(Array.isArray(batch[0]) && batch[0].length === 1, JSON.stringify(batch));
      assert.match(batch[1].messageId, /^msg_/);
      await sink.awaitCount(p, 4);

      await client.urlGroups.delete(name("compat-group"));
      await rejectsWith(404, client.urlGroups.get(name("compat-group")));
      await rejectsWith(400, client.publishJSON({ urlGroup: name("compat-group"), body: {} }));
      await rejectsWith(400, client.urlGroups.addEndpoints({ name: name("compat-group-bad"), endpoints: [{ url: "ftp://x" }] }));
      await rejectsWith(404, client.urlGroups.get(name("compat-group-bad")));
    });
  });

  describe("schedules", () => {
    it("create (upsert by scheduleId), get, list, pause and resume (PATCH), delete; bad input is a 400", async () => {
      const p = sink.prefix("schedule-admin");
      const scheduleId = name("compat-schedule");
      const created = await client.schedules.create({
        destination: `${sink.baseUrl}${p}/x?a=1`,
        cron: "0 0 1 1 *",
        scheduleId,
        body: JSON.stringify({ s: 1 }),
        headers: { "X-S": "1" },
        method: "PUT",
        retries: 2,
        delay: 30,
        retryDelay: "1000",
        label: "sched",
        callback: `${sink.baseUrl}${p}/cb`,
        flowControl: { key: name("compat-schedule-key"), parallelism: 2 },
      });
      assert.equal(created.scheduleId, scheduleId);
      const schedule = await client.schedules.get(scheduleId);
      assert.equal(schedule.scheduleId, scheduleId);
      assert.equal(schedule.cron, "0 0 1 1 *");
      assert.equal(schedule.destination, `${sink.baseUrl}${p}/x?a=1`);
      assert.equal(schedule.method, "PUT");
      assert.equal(schedule.body, '{"s":1}');
      assert.deepEqual(headerOf(schedule.header, "X-S"), ["1"]);
      assert.equal(schedule.retries, 2);
      assert.equal(schedule.delay, 30);
      assert.equal(schedule.retryDelayExpression, "1000");
      assert.deepEqual(schedule.labels, ["sched"]);
      assert.equal(schedule.callback, `${sink.baseUrl}${p}/cb`);
      assert.equal(schedule.flowControlKey, name("compat-schedule-key"));
      assert.equal(schedule.parallelism, 2);
      assert.equal(schedule.isPaused, false);
      assert.equal(typeof schedule.createdAt, "number");
      assert.ok(schedule.nextScheduleTime > Date.now());

      await client.schedules.create({ destination: `${sink.baseUrl}${p}/y`, cron: "30 12 * * MON", scheduleId });
      assert.equal((await client.schedules.get(scheduleId)).cron, "30 12 * * MON");
      assert.equal((await client.schedules.list()).filter((s) => s.scheduleId === scheduleId).length, 1);

      await client.schedules.pause({ schedule: scheduleId });
      assert.equal((await client.schedules.get(scheduleId)).isPaused, true);
      await client.schedules.resume({ schedule: scheduleId });
      assert.equal((await client.schedules.get(scheduleId)).isPaused, false);
      await client.schedules.delete(scheduleId);
      await rejectsWith(404, client.schedules.get(scheduleId));

      for (const cron of ["* * * *", "61 * * * *", "0 0 31 2 *"]) {
        await rejectsWith(400, client.schedules.create({ destination: `${sink.baseUrl}${p}/z`, cron }));
      }
      await rejectsWith(400, client.schedules.create({ destination: `${sink.baseUrl}${p}/z`, cron: "* * * * *", retries: -1 }));
      assert.ok(!(await client.schedules.list()).some((s) => s.destination === `${sink.baseUrl}${p}/z`));
    });

    it("every firing publishes a normal message carrying the schedule id", { timeout: 120_000 }, async () => {
      const p = sink.prefix("schedule-fire");
      const { scheduleId } = await client.schedules.create({
        destination: `${sink.baseUrl}${p}/x`,
        cron: "* * * * *",
        body: "tick",
        headers: { "X-S": "fired" },
      });
      assert.match(scheduleId, /\S/);
      const [delivery] = await sink.awaitCount(p, 1, 75_000);
      assert.equal(delivery.body, "tick");
      assert.equal(delivery.headers["x-s"], "fired");
      assert.equal(delivery.headers["upstash-schedule-id"], scheduleId);
      assert.equal(delivery.headers["content-type"], "application/json", "the SDK's default for schedules");
      const { logs } = await client.logs({ filter: { scheduleId } });
      const message = await client.messages.get(logs[0].messageId);
      assert.equal(message.scheduleId, scheduleId);
      const schedule = await client.schedules.get(scheduleId);
      assert.equal(typeof schedule.lastScheduleTime, "number");
      assert.equal(schedule.nextScheduleTime - schedule.lastScheduleTime >= 50_000, true);
      await client.schedules.delete(scheduleId);
    });
  });
});
