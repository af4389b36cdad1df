/**
 * What the app tells a person (a follow-up coming due, one overdue, one that could not
 * reach the client): a row per person, deduplicated on a key per reason so a repeated
 * timer job or a retried request adds nothing, and a live message after the commit.
 * Titles carry no clinical detail: they may show on a locked screen or in a tab title.
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { LiveMessage } from '../../server/live.ts';
import { Problem } from '../../server/problems.ts';
import { appendAuditEvent } from '../audit/audit.repository.ts';
import type { AuthContext } from '../auth/auth.service.ts';

type Db = Kysely<Database> | Transaction<Database>;

export interface NotifyInput {
  practiceId: string;
  userIds: string[];
  kind: string;
  title: string;
  clientId?: string | null;
  followUpTaskId?: string | null;
  dedupeKey: string;
  at: Date;
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  clientId: string | null;
  followUpTaskId: string | null;
  createdAt: string;
  readAt: string | null;
}

/** Writes one notification per user (deduped on dedupeKey) and returns the live messages to publish after commit. */
export async function notify(trx: Db, input: NotifyInput): Promise<LiveMessage[]> {
  const userIds = [...new Set(input.userIds)];
  if (userIds.length === 0) return [];
  const rows = await trx.insertInto('notifications').values(userIds.map((userId) => ({
    practice_id: input.practiceId, id: randomUUID(), user_id: userId, kind: input.kind, title: input.title,
    client_id: input.clientId ?? null, follow_up_task_id: input.followUpTaskId ?? null, dedupe_key: input.dedupeKey, created_at: input.at, read_at: null,
  }))).onConflict((oc) => oc.columns(['practice_id', 'user_id', 'dedupe_key']).doNothing())
    .returningAll().execute();
  return rows.map((r) => notificationMessage(input.practiceId, r));
}

/** The live message for one stored notification (ids and the calm title only). */
export function notificationMessage(practiceId: string, r: {
  id: string; user_id: string; kind: string; title: string; client_id: string | null; follow_up_task_id: string | null; created_at: Date;
}): LiveMessage {
  return {
    type: 'notification', practiceId, userIds: [r.user_id],
    data: { id: r.id, kind: r.kind, title: r.title, clientId: r.client_id, followUpTaskId: r.follow_up_task_id, createdAt: r.created_at.toISOString() },
  };
}

export function notificationView(r: {
  id: string; kind: string; title: string; client_id: string | null; follow_up_task_id: string | null; created_at: Date; read_at: Date | null;
}): NotificationView {
  return {
    id: r.id, kind: r.kind, title: r.title, clientId: r.client_id, followUpTaskId: r.follow_up_task_id,
    createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null,
  };
}

/** My notifications, newest first, with how many are unread. */
export async function listMyNotifications(db: Kysely<Database>, auth: AuthContext, limit = 50): Promise<{ notifications: NotificationView[]; unread: number }> {
  const practiceId = auth.practice.id;
  const [rows, unread] = await Promise.all([
    db.selectFrom('notifications').selectAll().where('practice_id', '=', practiceId).where('user_id', '=', auth.user.id)
      .orderBy('created_at', 'desc').orderBy('id').limit(limit).execute(),
    db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where('practice_id', '=', practiceId)
      .where('user_id', '=', auth.user.id).where('read_at', 'is', null).executeTakeFirstOrThrow(),
  ]);
  return { notifications: rows.map(notificationView), unread: unread.n };
}

/** Marks one of my notifications read (someone else's answers 404). Reading again changes nothing. */
export async function markNotificationRead(db: Kysely<Database>, auth: AuthContext, id: string, ip: string | null, at = new Date()): Promise<NotificationView> {
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('notifications').selectAll().where('practice_id', '=', auth.practice.id)
      .where('user_id', '=', auth.user.id).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new Problem('NOT_FOUND', 'No such notification.');
    if (row.read_at) return notificationView(row);
    const updated = await trx.updateTable('notifications').set({ read_at: at }).where('practice_id', '=', auth.practice.id)
      .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
    if (row.client_id) {
      await appendAuditEvent(trx, {
        practiceId: auth.practice.id, actorUserId: auth.user.id, actorRole: auth.user.role, action: 'notifications.read', resourceType: 'notification',
        resourceId: id, clientId: row.client_id, ip, outcome: 'success', detail: { kind: row.kind, followUpTaskId: row.follow_up_task_id },
      });
    }
    return notificationView(updated);
  });
}
