// The unmodified @upstash/qstash 2.12.0 SDK against the real target/sluice.jar. One Sluice process serves the whole
// file (booting takes 20–40 s); tests run one after another because several measure timing at the sink.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client, Receiver } from "@upstash/qstash";
import { JITTER_MS, maxConcurrent, maxStartsPerWindow, offsets, rejectsWith, sleep, startSuite, stopSuite, waitFor } from "../lib/harness.mjs";

const TOKEN = process.env.SLUICE_COMPAT_TOKEN ?? "compat-token";

let sluice;
let sink;
/** @type {Client} */
let client;


const HOUR = "1h";

/** DLQ entries of these message ids, picked from the first page. */
async function dlqEntriesOf(messageIds) {
  const { messages } = await client.dlq.listMessages();
  return messages.filter((m) => messageIds.includes(m.messageId));
}

describe("@upstash/qstash 2.12.0 against Sluice", { concurrency: false }, () => {
  before(async () => {
    ({ sink, sluice, client } = await startSuite(TOKEN));
  }, { timeout: 200_000 });

  after(() => stopSuite({ sluice, sink }), { timeout: 60_000 });

  describe("publish", () => {
    it("publishJSON delivers method, query string, forwarded headers and JSON body; messages.get reports the configuration", async () => {
      const p = sink.prefix("publish-json");
      const url = `${sink.baseUrl}${p}/a?x=1&y=2`;
      const published = await client.publishJSON({
        url,
        body: { hello: "world", n: 1 },
        method: "PUT",
        headers: { "X-Custom": "v", "Upstash-Forward-X-Second": "w" },
        retries: 2,
        retryDelay: "1000 * retried",
        timeout: 5,
        label: ["l1", "l2"],
        flowControl: { key: "compat-publish-json", parallelism: 5, rate: 10, period: "1m" },
      });
      assert.match(published.messageId, /^msg_/);
      assert.equal(published.url, url);
      assert.equal(published.deduplicated, false);

      const [delivery] = await sink.awaitCount(p, 1);
      assert.equal(delivery.method, "PUT");
      assert.equal(delivery.url, `${p}/a?x=1&y=2`);
      assert.deepEqual(JSON.parse(delivery.body), { hello: "world", n: 1 });
      assert.equal(delivery.headers["content-type"], "application/json");
      assert.equal(delivery.headers["x-custom"], "v");
      assert.equal(delivery.headers["x-second"], "w");
      assert.equal(delivery.headers["upstash-message-id"], published.messageId);
      assert.equal(delivery.headers["upstash-retried"], "0");
      assert.equal(delivery.headers["user-agent"], "Upstash-QStash");
      for (const name of Object.keys(delivery.headers)) {
        assert.ok(!/^(authorization|upstash-forward-|upstash-telemetry-|upstash-method|upstash-label)/.test(name), `leaked header ${name}`);
      }

      const message = await client.messages.get(published.messageId);
      assert.equal(message.messageId, published.messageId);
      assert.equal(message.url, url);
      assert.equal(message.method, "PUT");
      assert.equal(message.body, JSON.stringify({ hello: "world", n: 1 }));
      assert.deepEqual(message.header["x-custom"] ?? message.header["X-Custom"], ["v"]);
      assert.equal(message.maxRetries, 2);
      assert.equal(message.retryDelayExpression, "1000 * retried");
      assert.deepEqual(message.labels, ["l1", "l2"]);
      assert.equal(message.label, "l1");
      assert.equal(message.flowControlKey, "compat-publish-json");
      assert.equal(message.parallelism, 5);
      assert.equal(message.rate, 10);
      assert.equal(message.ratePerSecond, 10);
      assert.equal(message.period, 60);
      assert.equal(typeof message.createdAt, "number");
    });

    it("publish sends a string body with its content type and the requested method", async () => {
      const p = sink.prefix("publish-methods");
      const sent = {};
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        sent[method] = await client.publish({ url: `${sink.baseUrl}${p}/${method}`, body: `body-${method}`, method });
      }
      await client.publish({ url: `${sink.baseUrl}${p}/xml`, body: "<a>1</a>", headers: { "Content-Type": "application/xml" } });
      await client.publish({ url: `${sink.baseUrl}${p}/default`, body: "plain" });
      const deliveries = await sink.awaitCount(p, 6);
      for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
        const d = deliveries.find((r) => r.path === `${p}/${method}`);
        assert.equal(d.method, method);
        assert.equal(d.body, `body-${method}`);
        assert.equal(d.headers["upstash-message-id"], sent[method].messageId);
      }
      const xml = deliveries.find((r) => r.path === `${p}/xml`);
      assert.equal(xml.headers["content-type"], "application/xml");
      assert.equal(xml.body, "<a>1</a>");
      const plain = deliveries.find((r) => r.path === `${p}/default`);
      assert.equal(plain.method, "POST");
      assert.equal(plain.headers["content-type"], "text/plain;charset=UTF-8");
      assert.equal(plain.body, "plain");
    });

    it("publish with method GET delivers a GET", async () => {
      const p = sink.prefix("publish-get");
      const sent = await client.publish({ url: `${sink.baseUrl}${p}/g?q=1`, method: "GET" });
      const [d] = await sink.awaitCount(p, 1);
      assert.equal(d.method, "GET");
      assert.equal(d.url, `${p}/g?q=1`);
      assert.equal(d.headers["upstash-message-id"], sent.messageId);
    });

    it("delay and notBefore hold the first delivery; notBefore wins over delay", async () => {
      const p = sink.prefix("delay");
      const t0 = Date.now();
      const notBefore = Math.ceil(t0 / 1000) + 2;
      const [delayed, notBeforeMsg, both] = await Promise.all([
        client.publish({ url: `${sink.baseUrl}${p}/delay`, body: "d", delay: 2 }),
        client.publish({ url: `${sink.baseUrl}${p}/not-before`, body: "n", notBefore }),
        client.publish({ url: `${sink.baseUrl}${p}/both`, body: "b", delay: HOUR, notBefore }),
      ]);
      const pending = await client.messages.get(delayed.messageId);
      assert.ok(Math.abs(pending.notBefore - pending.createdAt - 2000) < 100, `notBefore ${pending.notBefore} createdAt ${pending.createdAt}`);
      assert.equal((await client.messages.get(notBeforeMsg.messageId)).notBefore, notBefore * 1000);
      assert.equal((await client.messages.get(both.messageId)).notBefore, notBefore * 1000);
      await sleep(1000);
      assert.equal(sink.received(p).length, 0, "nothing may arrive before the delay");

      const deliveries = await sink.awaitCount(p, 3, 8000);
      const at = (suffix) => deliveries.find((r) => r.path === `${p}/${suffix}`).arrivedWall;
      assert.ok(at("delay") - t0 >= 1950, `delay: arrived ${at("delay") - t0} ms after publishing`);
      assert.ok(at("not-before") >= notBefore * 1000 - 20, `notBefore: arrived ${at("not-before") - notBefore * 1000} ms from notBefore`);
      assert.ok(at("both") >= notBefore * 1000 - 20 && at("both") - t0 < 6000, "notBefore takes precedence over delay");
    });

    it("retries with retryDelay until the destination answers 2xx, with the same message id", async () => {
      const p = sink.prefix("retries");
      sink.answer(p, (_, n) => (n <= 2 ? { status: 503, body: "not yet" } : { status: 200 }));
      // retry delays are scaled by SLUICE_DELIVERY_TIME_SCALE=0.001: 100 s -> 100 ms, 200 s -> 200 ms
      const sent = await client.publish({ url: `${sink.baseUrl}${p}/r`, body: "again", retries: 2, retryDelay: "100000 * (1 + retried)" });
      const attempts = await sink.awaitCount(p, 3);
      await sleep(300);
      assert.equal(sink.received(p).length, 3);
      assert.deepEqual(attempts.map((r) => r.headers["upstash-retried"]), ["0", "1", "2"]);
      assert.ok(attempts.every((r) => r.headers["upstash-message-id"] === sent.messageId && r.body === "again"));
      const gaps = [attempts[1].arrivedAt - attempts[0].answeredAt, attempts[2].arrivedAt - attempts[1].answeredAt];
      assert.ok(gaps[0] >= 90 && gaps[1] >= 190, `retry gaps ${gaps.map(Math.round)} ms, expected >= 100 and >= 200 (scaled)`);
      const message = await waitFor("DELIVERED", async () => {
        const m = await client.messages.get(sent.messageId);
        return m.state === "DELIVERED" && m;
      });
      assert.equal(message.maxRetries, 2);
    });

    it("timeout fails an attempt that takes longer", async () => {
      const p = sink.prefix("timeout");
      const release = sink.hold(p);
      try {
        const sent = await client.publish({ url: `${sink.baseUrl}${p}/slow`, body: "slow", timeout: 1, retries: 0 });
        const [arrival] = await sink.awaitCount(p, 1);
        await waitFor("the attempt to time out", async () => (await client.messages.get(sent.messageId)).state === "FAILED", { timeoutMs: 5000 });
        const failedAfter = performance.now() - arrival.arrivedAt;
        assert.ok(failedAfter >= 900, `failed ${Math.round(failedAfter)} ms after the request arrived, before the 1 s timeout`);
        const messages = await dlqEntriesOf([sent.messageId]);
        assert.equal(messages.length, 1);
        assert.match(messages[0].lastError ?? "", /time/i);
        await client.dlq.delete(messages[0].dlqId);
      } finally {
        release();
      }
    });
  });

  describe("batch", () => {
    it("batchJSON and batch deliver every entry with its own configuration and answer one result per entry", async () => {
      const p = sink.prefix("batch");
      const results = await client.batchJSON([
        { url: `${sink.baseUrl}${p}/one`, body: { n: 1 }, headers: { "X-Entry": "one" } },
        { url: `${sink.baseUrl}${p}/two?k=v`, body: { n: 2 }, method: "PUT", flowControl: { key: "compat-batch", parallelism: 1 } },
      ]);
      assert.equal(results.length, 2);
      assert.equal(results[0].url, `${sink.baseUrl}${p}/one`);
      assert.equal(results[1].url, `${sink.baseUrl}${p}/two?k=v`);
      assert.ok(results.every((r) => /^msg_/.test(r.messageId)));

      const raw = await client.batch([
        { url: `${sink.baseUrl}${p}/three`, body: "three", headers: { "Content-Type": "text/csv" }, label: "b3" },
        { url: `${sink.baseUrl}${p}/four`, body: "four", delay: 1 },
      ]);
      assert.equal(raw.length, 2);

      const deliveries = await sink.awaitCount(p, 4, 8000);
      const byPath = (suffix) => deliveries.find((r) => r.path === `${p}/${suffix}`);
      assert.deepEqual(JSON.parse(byPath("one").body), { n: 1 });
      assert.equal(byPath("one").headers["content-type"], "application/json");
      assert.equal(byPath("one").headers["x-entry"], "one");
      assert.equal(byPath("one").headers["upstash-message-id"], results[0].messageId);
      assert.equal(byPath("two").method, "PUT");
      assert.equal(byPath("two").url, `${p}/two?k=v`);
      assert.equal(byPath("two").headers["upstash-message-id"], results[1].messageId);
      assert.equal(byPath("three").headers["content-type"], "text/csv");
      assert.equal(byPath("three").body, "three");
      assert.equal(byPath("four").body, "four");
      assert.equal((await client.messages.get(results[1].messageId)).flowControlKey, "compat-batch");
      assert.deepEqual((await client.messages.get(raw[0].messageId)).labels, ["b3"]);
    });

    it("a batch with one invalid entry is rejected with 400 and delivers nothing", async () => {
      const p = sink.prefix("batch-invalid");
      await rejectsWith(400, client.batchJSON([
        { url: `${sink.baseUrl}${p}/ok`, body: { ok: true } },
        { url: `${sink.baseUrl}${p}/bad`, body: { ok: false }, flowControl: { key: "compat-batch-bad", parallelism: -1 } },
      ]));
      await sleep(500);
      assert.equal(sink.received(p).length, 0);
    });
  });

  describe("messages", () => {
    it("messages.get of an unknown id is a 404 QstashError", async () => {
      await rejectsWith(404, client.messages.get("msg_does_not_exist"));
    });

    it("messages.cancel(id) cancels a waiting message and returns {cancelled}; it is never delivered", async () => {
      const p = sink.prefix("cancel-one");
      const key = "compat-cancel-one";
      await client.flowControl.pause(key);
      const keep = await client.publish({ url: `${sink.baseUrl}${p}/keep`, body: "k", flowControl: { key, parallelism: 5 } });
      const drop = await client.publish({ url: `${sink.baseUrl}${p}/drop`, body: "d", flowControl: { key, parallelism: 5 } });
      assert.deepEqual(await client.messages.cancel(drop.messageId), { cancelled: 1 });
      assert.equal((await client.messages.get(drop.messageId)).state, "CANCELLED");
      await client.flowControl.resume(key);
      const [delivered] = await sink.awaitCount(p, 1);
      await sleep(500);
      assert.equal(sink.received(p).length, 1);
      assert.equal(delivered.headers["upstash-message-id"], keep.messageId);
      await rejectsWith(404, client.messages.cancel("msg_does_not_exist"));
    });

    it("messages.cancel([ids]) cancels each listed message", async () => {
      const p = sink.prefix("cancel-many");
      const a = await client.publish({ url: `${sink.baseUrl}${p}/a`, body: "a", delay: HOUR });
      const b = await client.publish({ url: `${sink.baseUrl}${p}/b`, body: "b", delay: HOUR });
      const c = await client.publish({ url: `${sink.baseUrl}${p}/c`, body: "c", delay: HOUR });
      assert.deepEqual(await client.messages.cancel([a.messageId, b.messageId]), { cancelled: 2 });
      assert.equal((await client.messages.get(a.messageId)).state, "CANCELLED");
      assert.equal((await client.messages.get(b.messageId)).state, "CANCELLED");
      assert.notEqual((await client.messages.get(c.messageId)).state, "CANCELLED");
      assert.deepEqual(await client.messages.cancel(c.messageId), { cancelled: 1 });
    });

    it("messages.cancel({filter: {flowControlKey}}) cancels only that key's pending messages", async () => {
      const p = sink.prefix("cancel-filter");
      const key = "compat-cancel-filter";
      const ours = await Promise.all([1, 2, 3].map((i) =>
        client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, delay: HOUR, flowControl: { key, parallelism: 1 } })));
      const other = await client.publish({ url: `${sink.baseUrl}${p}/other`, body: "o", delay: HOUR, flowControl: { key: `${key}-other`, parallelism: 1 } });
      assert.deepEqual(await client.messages.cancel({ filter: { flowControlKey: key } }), { cancelled: 3 });
      for (const m of ours) assert.equal((await client.messages.get(m.messageId)).state, "CANCELLED");
      assert.notEqual((await client.messages.get(other.messageId)).state, "CANCELLED");
      assert.deepEqual(await client.messages.cancel({ filter: { label: "compat-no-such-label" } }), { cancelled: 0 });
      assert.deepEqual(await client.messages.cancel(other.messageId), { cancelled: 1 });
    });

    it("messages.cancel({filter: {label}}) matches whole labels only", async () => {
      const p = sink.prefix("cancel-label");
      const exact = await client.publish({ url: `${sink.baseUrl}${p}/a`, body: "a", delay: HOUR, label: ["compat_inv", "other"] });
      const longer = await client.publish({ url: `${sink.baseUrl}${p}/b`, body: "b", delay: HOUR, label: "compat_inv-2024" });
      const similar = await client.publish({ url: `${sink.baseUrl}${p}/c`, body: "c", delay: HOUR, label: "compatXinv" });
      assert.deepEqual(await client.messages.cancel({ filter: { label: "compat_inv" } }), { cancelled: 1 });
      assert.equal((await client.messages.get(exact.messageId)).state, "CANCELLED");
      assert.notEqual((await client.messages.get(longer.messageId)).state, "CANCELLED");
      assert.notEqual((await client.messages.get(similar.messageId)).state, "CANCELLED");
      assert.deepEqual(await client.messages.cancel({ filter: { label: ["compat_inv-2024", "compatXinv"] } }), { cancelled: 2 });
    });

    it("messages.cancel({all: true}) cancels every pending message", async () => {
      const p = sink.prefix("cancel-all");
      const a = await client.publish({ url: `${sink.baseUrl}${p}/a`, body: "a", delay: HOUR });
      const b = await client.publishJSON({ url: `${sink.baseUrl}${p}/b`, body: { b: 1 }, delay: HOUR });
      const { cancelled } = await client.messages.cancel({ all: true });
      assert.ok(cancelled >= 2, `cancelled ${cancelled}`);
      assert.equal((await client.messages.get(a.messageId)).state, "CANCELLED");
      assert.equal((await client.messages.get(b.messageId)).state, "CANCELLED");
    });
  });

  describe("signatures", () => {
    it("every delivery carries an Upstash-Signature that the SDK's Receiver verifies", async () => {
      const p = sink.prefix("signed");
      const url = `${sink.baseUrl}${p}/s?x=1`;
      await client.publishJSON({ url, body: { signed: "ä" } });
      const [request] = await sink.awaitCount(p, 1);
      const keys = await (await fetch(`${sluice.baseUrl}/v2/keys`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
      const receiver = new Receiver({ currentSigningKey: keys.current, nextSigningKey: keys.next });
      const signature = request.headers["upstash-signature"];
      assert.equal(await receiver.verify({ signature, body: request.body, url }), true);
      await assert.rejects(receiver.verify({ signature, body: `${request.body} `, url }), "a changed body fails");
    });
  });

  describe("callbacks", () => {
    it("a callback carries the destination's answer; a failure callback follows the last failed attempt", async () => {
      const dest = sink.prefix("cbdest");
      const cb = sink.prefix("cb");
      sink.answer(dest, () => ({ status: 201, headers: { "x-reply": "yes" }, body: "done" }));
      const { messageId } = await client.publish({ url: `${sink.baseUrl}${dest}/x`, body: "payload", callback: `${sink.baseUrl}${cb}/c` });
      const [callback] = await sink.awaitCount(cb, 1);
      const payload = JSON.parse(callback.body);
      assert.equal(payload.status, 201);
      assert.equal(payload.sourceMessageId, messageId);
      assert.equal(Buffer.from(payload.body, "base64").toString(), "done");
      const replyHeader = Object.entries(payload.header).find(([name]) => name.toLowerCase() === "x-reply");
      assert.deepEqual(replyHeader?.[1], ["yes"]);
      assert.equal(Buffer.from(payload.sourceBody, "base64").toString(), "payload");
      assert.equal(payload.url, `${sink.baseUrl}${dest}/x`);
      assert.match(callback.headers["upstash-signature"] ?? "", /\S/, "callbacks are signed too");

      const failDest = sink.prefix("faildest");
      const fcb = sink.prefix("fcb");
      sink.answer(failDest, () => ({ status: 500, body: "broken" }));
      const failed = await client.publish({ url: `${sink.baseUrl}${failDest}/y`, body: "bad", retries: 0, failureCallback: `${sink.baseUrl}${fcb}/f` });
      const [failureCallback] = await sink.awaitCount(fcb, 1);
      const failure = JSON.parse(failureCallback.body);
      assert.equal(failure.status, 500);
      assert.equal(failure.sourceMessageId, failed.messageId);
      assert.equal(Buffer.from(failure.body, "base64").toString(), "broken");
      assert.match(failure.dlqId, /^dlq_/);
      await sleep(300);
      assert.equal(sink.received(cb).length, 1, "no callback for the failed message");
    });
  });

  describe("logs", () => {
    it("client.logs shows every state transition of a message, newest first", async () => {
      const p = sink.prefix("logs");
      sink.answer(p, (_, n) => (n === 1 ? { status: 503 } : { status: 200 }));
      const { messageId } = await client.publish({ url: `${sink.baseUrl}${p}/l`, body: "x", retries: 2, retryDelay: "100" });
      await sink.awaitCount(p, 2);
      const logs = await waitFor("the DELIVERED log", async () => {
        const res = await client.logs({ messageIds: [messageId] });
        return res.logs.some((log) => log.state === "DELIVERED") ? res.logs : undefined;
      });
      const states = logs.map((log) => log.state).reverse();
      assert.deepEqual(states.filter((s) => s !== "ERROR" && s !== "RETRY"), ["CREATED", "ACTIVE", "ACTIVE", "DELIVERED"]);
      assert.ok(states.includes("ERROR") && states.includes("RETRY"), states.join(","));
      assert.ok(logs.every((log) => log.messageId === messageId && log.url === `${sink.baseUrl}${p}/l`));
      const delivered = await client.logs({ filter: { state: "DELIVERED" }, count: 1000 });
      assert.ok(delivered.logs.some((log) => log.messageId === messageId));
      assert.ok(delivered.logs.every((log) => log.state === "DELIVERED"));
    });
  });

  describe("deduplication", () => {
    it("a deduplicationId published twice within the window answers the first message and delivers once", async () => {
      const p = sink.prefix("dedup");
      const deduplicationId = `dedup-${Date.now()}`;
      const first = await client.publish({ url: `${sink.baseUrl}${p}/once`, body: "once", deduplicationId });
      const second = await client.publish({ url: `${sink.baseUrl}${p}/once`, body: "once again", deduplicationId });
      assert.equal(first.deduplicated, false);
      assert.equal(second.deduplicated, true);
      assert.equal(second.messageId, first.messageId);
      await sink.awaitCount(p, 1);
      await sleep(500);
      assert.equal(sink.received(p).length, 1, "delivered once");
      assert.equal(sink.received(p)[0].body, "once");
    });

    it("content-based deduplication recognises the same destination, headers and body", async () => {
      const p = sink.prefix("content");
      const url = `${sink.baseUrl}${p}/c`;
      const a = await client.publish({ url, body: "same", contentBasedDeduplication: true });
      const b = await client.publish({ url, body: "same", contentBasedDeduplication: true });
      const c = await client.publish({ url, body: "different", contentBasedDeduplication: true });
      assert.equal(b.deduplicated, true);
      assert.equal(b.messageId, a.messageId);
      assert.equal(c.deduplicated, false);
      assert.notEqual(c.messageId, a.messageId);
      await sink.awaitCount(p, 2);
      await sleep(500);
      assert.deepEqual(sink.received(p).map((r) => r.body).sort(), ["different", "same"]);
    });
  });

  describe("dead-letter queue", () => {
    it("a message that failed for good is listed, retried as a new message and deleted", async () => {
      const p = sink.prefix("dlq");
      const label = "compat-dlq";
      // the first delivery fails; the retry from the DLQ succeeds
      sink.answer(p, (_, n) => (n === 1 ? { status: 500, headers: { "x-why": "broken" }, body: "boom" } : { status: 200 }));
      const failed = await client.publish({ url: `${sink.baseUrl}${p}/f`, body: "dead letter", retries: 0, label });
      await sink.awaitCount(p, 1);

      const listed = await waitFor("the DLQ entry", async () => (await dlqEntriesOf([failed.messageId]))[0]);
      assert.equal(listed.messageId, failed.messageId);
      assert.match(listed.dlqId, /\S/);
      assert.equal(listed.url, `${sink.baseUrl}${p}/f`);
      assert.equal(listed.body, "dead letter");
      assert.equal(listed.responseStatus, 500);
      assert.equal(listed.responseBody, "boom");
      assert.deepEqual(listed.responseHeader["x-why"], ["broken"]);
      assert.equal(listed.maxRetries, 0);
      assert.deepEqual(listed.labels, [label]);
      assert.equal(sink.received(p).length, 1, "retries: 0 means one attempt");
      assert.equal((await client.messages.get(failed.messageId)).state, "FAILED");

      const byId = await client.dlq.listMessages({ dlqIds: [listed.dlqId] });
      assert.deepEqual(byId.messages.map((m) => m.dlqId), [listed.dlqId]);

      const retried = await client.dlq.retry(listed.dlqId);
      assert.equal(retried.responses.length, 1);
      const newId = retried.responses[0].messageId;
      assert.match(newId, /^msg_/);
      assert.notEqual(newId, failed.messageId);
      const [, second] = await sink.awaitCount(p, 2);
      assert.equal(second.headers["upstash-message-id"], newId);
      assert.equal(second.body, "dead letter");
      assert.equal((await client.dlq.listMessages({ dlqIds: [listed.dlqId] })).messages.length, 0, "retry removes the entry");
    });

    it("dlq.delete removes entries by id and by list; an unknown id is a 404", async () => {
      const p = sink.prefix("dlq-delete");
      const label = "compat-dlq-delete";
      sink.answer(p, () => ({ status: 500 }));
      const sent = await Promise.all([1, 2, 3].map((i) => client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, retries: 1, retryDelay: "0", label })));
      const ids = sent.map((m) => m.messageId);
      const entries = await waitFor("3 DLQ entries", async () => {
        const messages = await dlqEntriesOf(ids);
        return messages.length === 3 && messages;
      });
      assert.equal(sink.received(p).length, 6, "retries: 1 means two attempts each");

      await client.dlq.delete(entries[0].dlqId);
      assert.deepEqual(await client.dlq.delete([entries[1].dlqId, entries[2].dlqId]), { deleted: 2 });
      assert.equal((await dlqEntriesOf(ids)).length, 0);
      assert.deepEqual(await client.dlq.delete([entries[0].dlqId]), { deleted: 0 });
      await rejectsWith(404, client.dlq.delete(entries[0].dlqId));
    });
    it("listMessages, retry and delete honour filters; {all: true} reaches every entry", async () => {
      const p = sink.prefix("dlqfilter");
      const label = `compat-filter-${Date.now()}`;
      sink.answer(p, () => ({ status: 500 }));
      const labelled = await client.publish({ url: `${sink.baseUrl}${p}/a`, body: "a", retries: 0, label });
      const other = await client.publish({ url: `${sink.baseUrl}${p}/b`, body: "b", retries: 0 });
      await waitFor("both in the DLQ", async () => (await dlqEntriesOf([labelled.messageId, other.messageId])).length === 2);

      const byLabel = await client.dlq.listMessages({ filter: { label } });
      assert.deepEqual(byLabel.messages.map((m) => m.messageId), [labelled.messageId]);
      const byUrl = await client.dlq.listMessages({ filter: { url: `${sink.baseUrl}${p}/b` } });
      assert.deepEqual(byUrl.messages.map((m) => m.messageId), [other.messageId]);

      const deleted = await client.dlq.delete({ filter: { label } });
      assert.equal(deleted.deleted, 1);
      assert.equal((await dlqEntriesOf([labelled.messageId])).length, 0);
      assert.equal((await dlqEntriesOf([other.messageId])).length, 1, "the other entry stays");

      await client.dlq.delete({ all: true });
      assert.equal((await client.dlq.listMessages()).messages.length, 0, "all: true empties the DLQ");
    });

  });

  describe("flow control", () => {
    it("parallelism=2: never more than 2 deliveries in flight at the sink", async () => {
      const p = sink.prefix("parallelism");
      const key = "compat-parallelism";
      sink.answer(p, () => ({ delayMs: 300 }));
      await Promise.all(Array.from({ length: 8 }, (_, i) =>
        client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, flowControl: { key, parallelism: 2 } })));
      await sink.awaitCount(p, 2);
      const info = await client.flowControl.get(key);
      assert.equal(info.flowControlKey, key);
      assert.equal(info.parallelismMax, 2);
      assert.ok(info.parallelismCount <= 2, JSON.stringify(info));
      assert.ok(info.waitListSize >= 1, `a backlog is waiting: ${JSON.stringify(info)}`);
      const deliveries = await sink.awaitCount(p, 8, 10_000);
      await sink.awaitAnswered(p);
      assert.equal(maxConcurrent(deliveries), 2, `in flight at once; arrivals ${offsets(deliveries)}`);
    });

    it("rate=2 per 1s: at most 2 deliveries start per window", async () => {
      const p = sink.prefix("rate");
      const key = "compat-rate";
      await Promise.all(Array.from({ length: 6 }, (_, i) =>
        client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, flowControl: { key, rate: 2, period: 1 } })));
      await sink.awaitCount(p, 1);
      const info = await client.flowControl.get(key);
      assert.equal(info.rateMax, 2);
      assert.equal(info.ratePeriod, 1);
      const deliveries = await sink.awaitCount(p, 6, 10_000);
      assert.ok(maxStartsPerWindow(deliveries, 1000) <= 2, `arrivals ${offsets(deliveries)}`);
      const span = Math.max(...offsets(deliveries));
      assert.ok(span >= 2000 - 2 * JITTER_MS, `6 messages at 2/s need 3 windows; arrivals ${offsets(deliveries)}`);
    });

    it("pause holds every delivery of the key until resume", async () => {
      const p = sink.prefix("pause");
      const key = "compat-pause";
      await client.flowControl.pause(key);
      await Promise.all([1, 2, 3].map((i) =>
        client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, flowControl: { key, parallelism: 5 } })));
      await sleep(1200);
      assert.equal(sink.received(p).length, 0, "nothing is delivered while paused");
      const paused = await client.flowControl.get(key);
      assert.equal(paused.isPaused, true);
      assert.equal(paused.waitListSize, 3);
      await client.flowControl.resume(key);
      await sink.awaitCount(p, 3);
      assert.equal((await client.flowControl.get(key)).isPaused, false);
    });

    it("pin parallelism=1 during a backlog overrides the messages' parallelism; unpin clears it", async () => {
      const p = sink.prefix("pin");
      const key = "compat-pin";
      sink.answer(p, () => ({ delayMs: 250 }));
      await client.flowControl.pause(key);
      await Promise.all(Array.from({ length: 6 }, (_, i) =>
        client.publish({ url: `${sink.baseUrl}${p}/${i}`, body: `${i}`, flowControl: { key, parallelism: 4 } })));
      await client.flowControl.pin(key, { parallelism: 1, rate: 100, period: 2 });
      const pinned = await client.flowControl.get(key);
      assert.equal(pinned.isPinnedParallelism, true);
      assert.equal(pinned.isPinnedRate, true);
      assert.equal(pinned.parallelismMax, 1);
      assert.equal(pinned.rateMax, 100);
      assert.equal(pinned.ratePeriod, 2);
      assert.equal(pinned.waitListSize, 6);
      await client.flowControl.resume(key);
      const deliveries = await sink.awaitCount(p, 6, 10_000);
      await sink.awaitAnswered(p);
      assert.equal(maxConcurrent(deliveries), 1, `pinned parallelism; arrivals ${offsets(deliveries)}`);

      await client.flowControl.unpin(key, { parallelism: true, rate: false });
      let info = await client.flowControl.get(key);
      assert.equal(info.isPinnedParallelism, false);
      assert.equal(info.isPinnedRate, true);
      await client.flowControl.unpin(key, { rate: true });
      info = await client.flowControl.get(key);
      assert.equal(info.isPinnedRate, false);
    });

    it("resetRate ends the current rate period so the next message goes at once", async () => {
      const p = sink.prefix("reset-rate");
      const key = "compat-reset-rate";
      await client.publish({ url: `${sink.baseUrl}${p}/1`, body: "1", flowControl: { key, rate: 1, period: "1m" } });
      await sink.awaitCount(p, 1);
      await client.publish({ url: `${sink.baseUrl}${p}/2`, body: "2", flowControl: { key, rate: 1, period: "1m" } });
      await sleep(700);
      assert.equal(sink.received(p).length, 1, "the second message waits for the next 1-minute period");
      const info = await client.flowControl.get(key);
      assert.equal(info.rateMax, 1);
      assert.equal(info.rateCount, 1);
      assert.equal(info.ratePeriod, 60);
      assert.equal(info.waitListSize, 1);
      await client.flowControl.resetRate(key);
      await sink.awaitCount(p, 2, 3000);
    });

    it("getGlobalParallelism reports the cap and the deliveries in flight", async () => {
      const p = sink.prefix("global");
      const release = sink.hold(p);
      try {
        await client.publish({ url: `${sink.baseUrl}${p}/held`, body: "held" });
        await sink.awaitCount(p, 1);
        const busy = await client.flowControl.getGlobalParallelism();
        assert.ok(busy.parallelismMax > 0, JSON.stringify(busy));
        assert.ok(busy.parallelismCount >= 1, JSON.stringify(busy));
      } finally {
        release();
      }
      await waitFor("no delivery in flight", async () => (await client.flowControl.getGlobalParallelism()).parallelismCount === 0, { timeoutMs: 5000 });
    });
  });

  describe("errors", () => {
    it("a wrong token is a 401 QstashError on every API", async () => {
      const wrong = new Client({ baseUrl: sluice.baseUrl, token: "not-the-token" });
      const p = sink.prefix("unauthorized");
      await rejectsWith(401, wrong.publish({ url: `${sink.baseUrl}${p}/x`, body: "x" }));
      await rejectsWith(401, wrong.batchJSON([{ url: `${sink.baseUrl}${p}/y`, body: {} }]));
      await rejectsWith(401, wrong.messages.get("msg_x"));
      await rejectsWith(401, wrong.dlq.listMessages());
      await rejectsWith(401, wrong.flowControl.getGlobalParallelism());
      await rejectsWith(401, wrong.flowControl.pause("compat-unauthorized"));
      await sleep(300);
      assert.equal(sink.received(p).length, 0);
    });

    it("invalid flow-control values are a 400 QstashError and nothing is stored", async () => {
      const p = sink.prefix("invalid-fc");
      const key = "compat-invalid";
      for (const flowControl of [
        { key, parallelism: -1 },
        { key, parallelism: 0 },
        { key, rate: 1.5 },
        { key, rate: "abc" },
        { key, rate: 2, period: "xyz" },
      ]) {
        await rejectsWith(400, client.publish({ url: `${sink.baseUrl}${p}/x`, body: "x", flowControl }));
      }
      await rejectsWith(400, client.flowControl.pin("compat-invalid-pin", { parallelism: -1 }));
      await sleep(300);
      assert.equal(sink.received(p).length, 0);
      await rejectsWith(404, client.flowControl.get(key));
    });

    it("unknown ids are a 404 QstashError", async () => {
      await rejectsWith(404, client.messages.get("msg_unknown"));
      await rejectsWith(404, client.messages.cancel("msg_unknown"));
      await rejectsWith(404, client.dlq.delete("dlq_unknown"));
      await rejectsWith(404, client.flowControl.get("compat-never-used"));
    });
  });
});
