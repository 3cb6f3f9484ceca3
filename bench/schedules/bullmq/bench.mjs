// Reference point for bench/schedules/run.sh: BullMQ's job schedulers (upsertJobScheduler, every
// 1000 ms) doing what our recurring tasks do — SCHEDULES schedules ticking each second, each tick a
// no-op job run by two workers (our two replicas) of 32 concurrent jobs. After a warm-up, for
// BENCH_DURATION_S it counts the ticks due in the window that ran, and how late each started after
// it was due (processedOn - (timestamp + delay)). Prints one line:
//   BULLMQ schedules=N ticks=T ticks_per_s=R expected_per_s=E start_p50=.. start_p99=.. start_max=..
// Env: REDIS_URL, BENCH_DURATION_S (30), BENCH_WARMUP_S (10), SCHEDULES (1000), BENCH_PREFIX.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DURATION_MS = Number(process.env.BENCH_DURATION_S || 30) * 1000;
const WARMUP_MS = Number(process.env.BENCH_WARMUP_S || 10) * 1000;
const SCHEDULES = Number(process.env.SCHEDULES || 1000);
const PREFIX = process.env.BENCH_PREFIX || `bench-bullmq-${randomBytes(4).toString('hex')}`;
const WORKERS = 2, CONCURRENCY = 32;
const VERSION = createRequire(import.meta.url)('bullmq/package.json').version;

const redis = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null }).on('error', () => {});
const conn = redis();
const clients = [];

function pct(sorted, p) {
    return sorted.length ? sorted[Math.max(1, Math.ceil(sorted.length * p)) - 1] : NaN;
}

const queueName = `ticks-${Date.now()}`;
const queue = new Queue(queueName, { connection: conn, prefix: PREFIX });
queue.on('error', err => console.error(`queue error: ${err.message}`));
let windowStart = Infinity, windowEnd = Infinity;
const late = [];
const workers = [];
for (let i = 0; i < WORKERS; i++) {
    const client = redis();
    clients.push(client);
    const worker = new Worker(queueName, async () => null, { connection: client, prefix: PREFIX, concurrency: CONCURRENCY });
    worker.on('completed', job => {
        const due = Number(String(job.id).split(':').pop());
        if (due >= windowStart && due < windowEnd) late.push(job.processedOn - due);
    });
    worker.on('error', err => console.error(`worker error: ${err.message}`));
    workers.push(worker);
}
await Promise.all([queue.waitUntilReady(), ...workers.map(w => w.waitUntilReady())]);
for (let i = 0; i < SCHEDULES; i++) {
    await queue.upsertJobScheduler(`s${i}`, { every: 1000 }, { name: 'tick', data: {},
        opts: { removeOnComplete: true, removeOnFail: true } });
}
await new Promise(resolve => setTimeout(resolve, WARMUP_MS));
windowStart = Date.now();
windowEnd = windowStart + DURATION_MS;
// Ticks due near the window's end are given time to run before counting.
await new Promise(resolve => setTimeout(resolve, DURATION_MS + 5000));

late.sort((a, b) => a - b);
const seconds = DURATION_MS / 1000;
console.log(`BULLMQ version=${VERSION} schedules=${SCHEDULES} ticks=${late.length} `
    + `ticks_per_s=${(late.length / seconds).toFixed(0)} expected_per_s=${SCHEDULES} start_p50=${pct(late, 0.5)} `
    + `start_p99=${pct(late, 0.99)} start_max=${late.length ? late[late.length - 1] : NaN}`);

for (let i = 0; i < SCHEDULES; i++) await queue.removeJobScheduler(`s${i}`);
await Promise.all(workers.map(w => w.close()));
await queue.obliterate({ force: true }).catch(() => {});
await queue.close();
// Only our own prefix's keys: nothing else in Redis is touched.
let cursor = '0';
do {
    const [next, keys] = await conn.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
    if (keys.length) await conn.del(...keys);
    cursor = next;
} while (cursor !== '0');
await Promise.all([conn, ...clients].map(c => c.quit()));
