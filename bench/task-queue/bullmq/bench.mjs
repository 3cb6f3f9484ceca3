// Reference point for bench/task-queue/run.sh: BullMQ doing the same no-op work as our task
// service, on the same machine, in the same run, so our figures can be read against a well-known
// Redis job queue rather than in a vacuum. The shape follows our no-op run: two workers (our two
// replicas) of 32 concurrent jobs each, 32 producers adding one job at a time for a fixed time,
// then the same again with jobs added in bulk. Each part reports one line:
//   BULLMQ <part> added=N add_rate=R completed_rate=C q50=.. q99=.. e50=.. e99=.. twice=0
// Env: REDIS_URL, BENCH_DURATION_S (20), BENCH_PREFIX (bench-bullmq-<hex>), BULK_JOBS (50000).
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const DURATION_MS = Number(process.env.BENCH_DURATION_S || 20) * 1000;
const PREFIX = process.env.BENCH_PREFIX || `bench-bullmq-${randomBytes(4).toString('hex')}`;
const BULK_JOBS = Number(process.env.BULK_JOBS || 50000);
const WORKERS = 2, CONCURRENCY = 32, ADDERS = 32, CHUNK = 1000, CHUNKS_IN_FLIGHT = 4;
const DRAIN_TIMEOUT_MS = 600_000; // same patience as run.sh's await_done
const VERSION = createRequire(import.meta.url)('bullmq/package.json').version;

// BullMQ 6 no longer brings ioredis along (it is an optional peer), so we hand it ready-made
// ioredis clients. maxRetriesPerRequest: null is what BullMQ requires of a worker's connection
// (its blocking fetch must never give up); we use it everywhere for simplicity.
// Connection errors are reported by the queue, worker or command that meets them, not per client.
const redis = () => new Redis(REDIS_URL, { maxRetriesPerRequest: null }).on('error', () => {});
const conn = redis(); // queues and the final key sweep
const queues = [], workers = [], clients = [];
let stopping = false;

// Nearest rank, as run.sh's pct(): the value at rank max(1, ceil(n * p)).
function pct(sorted, p) {
    return sorted.length ? sorted[Math.max(1, Math.ceil(sorted.length * p)) - 1] : NaN;
}

// Runs one part on a fresh queue: starts the workers, lets produce() add jobs, waits for all of
// them to complete, and prints the part's line. Latencies come from each job's own timestamps
// (added, started, finished), as our service's come from its task rows.
async function part(name, produce) {
    const queueName = `${name}-${Date.now()}`;
    // removeOnComplete/removeOnFail keep Redis small; the completed event still hands us the job.
    const queue = new Queue(queueName, {
        connection: conn, prefix: PREFIX,
        defaultJobOptions: { removeOnComplete: true, removeOnFail: true },
    });
    queue.on('error', err => console.error(`queue error: ${err.message}`));
    queues.push(queue);
    const seen = new Set(), queued = [], e2e = [];
    let twice = 0, failed = 0, lastDone = 0;
    for (let i = 0; i < WORKERS; i++) {
        const client = redis();
        clients.push(client);
        // A no-op processor: we measure the queue, not the work.
        const worker = new Worker(queueName, async () => null,
            { connection: client, prefix: PREFIX, concurrency: CONCURRENCY });
        worker.on('completed', job => {
            lastDone = Date.now();
            if (seen.has(job.id)) { twice++; return; }
            seen.add(job.id);
            queued.push(job.processedOn - job.timestamp);
            e2e.push(job.finishedOn - job.timestamp);
        });
        worker.on('failed', (job, err) => { failed++; console.error(`job ${job?.id} failed: ${err.message}`); });
        worker.on('error', err => console.error(`worker error: ${err.message}`));
        workers.push(worker);
    }
    // Workers and queue connected before the clock starts, as our replicas are ready before wrk.
    await Promise.all([queue.waitUntilReady(), ...workers.slice(-WORKERS).map(w => w.waitUntilReady())]);

    const start = Date.now();
    const added = await produce(queue);
    const addSeconds = (Date.now() - start) / 1000;
    const deadline = Date.now() + DRAIN_TIMEOUT_MS;
    while (seen.size + failed < added && !stopping) {
        if (Date.now() > deadline) throw new Error(`${name}: ${added - seen.size - failed} jobs unfinished`);
        // Polling only decides when to stop waiting; the throughput uses the last event's time.
        await new Promise(resolve => setTimeout(resolve, 20));
    }
    if (stopping) return;
    if (failed) throw new Error(`${name}: ${failed} jobs failed`);

    await Promise.all(workers.slice(-WORKERS).map(w => w.close()));
    queued.sort((a, b) => a - b);
    e2e.sort((a, b) => a - b);
    const ms = v => v.toFixed(1);
    console.log(`BULLMQ ${name} added=${added} add_rate=${Math.round(added / addSeconds)}` +
        ` completed_rate=${Math.round(seen.size / ((lastDone - start) / 1000))}` +
        ` q50=${ms(pct(queued, 0.5))} q99=${ms(pct(queued, 0.99))}` +
        ` e50=${ms(pct(e2e, 0.5))} e99=${ms(pct(e2e, 0.99))} twice=${twice}`);
}

// Single: 32 producers, each adding one job and waiting for Redis to take it before the next,
// like wrk's 32 connections posting one task per request.
async function addOneByOne(queue) {
    const until = Date.now() + DURATION_MS;
    let added = 0;
    await Promise.all(Array.from({ length: ADDERS }, async () => {
        while (Date.now() < until && !stopping) {
            await queue.add('noop', {});
            added++;
        }
    }));
    return added;
}

// Bulk: a fixed number of jobs through addBulk, 1000 a call and 4 calls in flight, our batch
// endpoint's counterpart.
async function addInBulk(queue) {
    let next = 0, added = 0;
    const chunk = Array.from({ length: CHUNK }, () => ({ name: 'noop', data: {} }));
    await Promise.all(Array.from({ length: CHUNKS_IN_FLIGHT }, async () => {
        while (next < BULK_JOBS && !stopping) {
            const n = Math.min(CHUNK, BULK_JOBS - next);
            next += n;
            await queue.addBulk(n === CHUNK ? chunk : chunk.slice(0, n));
            added += n;
        }
    }));
    return added;
}

// Leaves Redis as we found it: nothing under our prefix, nothing outside it touched. Obliterate
// removes each queue's jobs and bookkeeping; the SCAN sweep catches whatever is left (worker
// markers, adds that were in flight when we were stopped). Never FLUSHDB: Redis may be shared.
// A Redis that went away would make every step wait for ever: give up after 30 s.
let cleaning;
function cleanup() {
    cleaning ??= (async () => {
        stopping = true;
        setTimeout(() => { console.error(`cleanup timed out: keys under ${PREFIX}: may remain`); process.exit(1); },
            30_000).unref();
        const quietly = p => p.catch(err => console.error(`cleanup: ${err.message}`));
        await Promise.all(workers.map(w => quietly(w.close(true))));
        for (const q of queues) await quietly(q.obliterate({ force: true }));
        await Promise.all(queues.map(q => quietly(q.close())));
        await Promise.all(clients.map(c => quietly(c.quit())));
        for (let pass = 0; pass < 2; pass++) {
            let cursor = '0';
            do {
                const [nextCursor, keys] = await conn.scan(cursor, 'MATCH', `${PREFIX}:*`, 'COUNT', 1000);
                if (keys.length) await conn.del(...keys);
                cursor = nextCursor;
            } while (cursor !== '0');
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        await quietly(conn.quit());
    })();
    return cleaning;
}

for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.on(signal, () => cleanup().finally(() => process.exit(code)));
}

// Fail fast rather than let the clients retry a wrong REDIS_URL for ever; nothing is written yet.
await Promise.race([conn.ping(), new Promise((_, reject) => setTimeout(reject, 5000).unref())])
    .catch(() => { console.error(`bullmq bench: no Redis at ${REDIS_URL}`); process.exit(1); });

try {
    console.log(`BULLMQ version=${VERSION}`);
    await part('single', addOneByOne);
    if (!stopping) await part('bulk', addInBulk);
    await cleanup();
} catch (err) {
    console.error(`bullmq bench: ${err.stack || err}`);
    await cleanup().catch(e => console.error(`cleanup failed: ${e.message}`));
    process.exit(1);
}
