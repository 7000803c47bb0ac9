import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@microshop/testing';
import { startEventRetention, type EventRetention } from '../src/index.ts';
import { testLogger } from './bus-harness.ts';

/**
 * The event tables' retention on a real PostgreSQL schema of its own: rows are written with
 * chosen ages, then swept.
 */

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_MS = 7 * DAY_MS;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY_MS);

let database: TestDatabase;
const retentions: EventRetention[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await Promise.all(retentions.map((retention) => retention.close()));
  await database?.drop();
});

/** A retention whose timer never fires during the test: sweeps happen when the test asks. */
async function retention(batchSize?: number): Promise<EventRetention> {
  const started = startEventRetention({
    db: database.prisma,
    logger: testLogger(),
    retentionMs: RETENTION_MS,
    intervalMs: 60 * 60 * 1000,
    ...(batchSize ? { batchSize } : {}),
  });
  retentions.push(started);
  // The sweep it runs at start ends before the test writes its rows.
  await started.close();
  return started;
}

async function outboxRow(createdDaysAgo: number, publishedDaysAgo: number | null) {
  const id = randomUUID();
  await database.prisma.outboxEvent.create({
    data: {
      id,
      source: 'retention-test',
      topic: 'orders',
      aggregateId: 'order-1',
      type: 'OrderStatusChanged',
      envelope: { id },
      createdAt: daysAgo(createdDaysAgo),
      publishedAt: publishedDaysAgo === null ? null : daysAgo(publishedDaysAgo),
    },
  });
  return id;
}

async function processedRow(processedDaysAgo: number) {
  const eventId = randomUUID();
  await database.prisma.processedEvent.create({
    data: { consumer: 'retention-test', eventId, processedAt: daysAgo(processedDaysAgo) },
  });
  return eventId;
}

async function logEntry(createdDaysAgo: number) {
  const entry = await database.prisma.eventLogEntry.create({
    data: { topic: 'orders', key: 'order-1', envelope: {}, createdAt: daysAgo(createdDaysAgo) },
  });
  return entry.sequence;
}

describe('event retention', () => {
  it('deletes published outbox rows, processed records and log entries older than the retention, and nothing else', async () => {
    const sweeper = await retention();
    const expiredPublished = await outboxRow(10, 8);
    const recentlyPublished = await outboxRow(10, 6);
    const neverPublished = await outboxRow(30, null);
    const expiredProcessed = await processedRow(8);
    const recentlyProcessed = await processedRow(1);
    const expiredEntry = await logEntry(8);
    const recentEntry = await logEntry(6);
    await database.prisma.deadLetter.create({
      data: {
        id: randomUUID(),
        groupId: 'retention-test',
        topic: 'orders',
        key: 'order-1',
        sequence: 1n,
        envelope: {},
        error: 'kept for an operator',
        attempts: 5,
        createdAt: daysAgo(60),
      },
    });

    expect(await sweeper.sweep()).toEqual({ outboxEvents: 1, processedEvents: 1, eventLog: 1 });

    const outbox = await database.prisma.outboxEvent.findMany({ select: { id: true } });
    expect(new Set(outbox.map((row) => row.id))).toEqual(
      new Set([recentlyPublished, neverPublished]),
    );
    expect(outbox.map((row) => row.id)).not.toContain(expiredPublished);
    const processed = await database.prisma.processedEvent.findMany({ select: { eventId: true } });
    expect(processed.map((row) => row.eventId)).toEqual([recentlyProcessed]);
    expect(processed.map((row) => row.eventId)).not.toContain(expiredProcessed);
    const log = await database.prisma.eventLogEntry.findMany({ select: { sequence: true } });
    expect(log.map((row) => row.sequence)).toEqual([recentEntry]);
    expect(log.map((row) => row.sequence)).not.toContain(expiredEntry);
    expect(await database.prisma.deadLetter.count()).toBe(1);

    // Nothing is left to delete.
    expect(await sweeper.sweep()).toEqual({ outboxEvents: 0, processedEvents: 0, eventLog: 0 });
  });

  it('deletes a backlog larger than one batch', async () => {
    const sweeper = await retention(3);
    const expired: string[] = [];
    for (let index = 0; index < 7; index++) expired.push(await processedRow(9));
    const kept = await processedRow(2);

    expect(await sweeper.sweep()).toMatchObject({ processedEvents: 7 });
    const remaining = (
      await database.prisma.processedEvent.findMany({ select: { eventId: true } })
    ).map((row) => row.eventId);
    expect(remaining).toContain(kept);
    for (const eventId of expired) expect(remaining).not.toContain(eventId);
  });
});
