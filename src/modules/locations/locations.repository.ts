import type { Insertable, Kysely, Transaction, Updateable } from 'kysely';
import type { Database } from '../../server/database.ts';
import type { Location, LocationTable } from './locations.table.ts';

type Db = Kysely<Database> | Transaction<Database>;

export async function listLocations(db: Db, practiceId: string): Promise<Location[]> {
  return db.selectFrom('locations').selectAll().where('practice_id', '=', practiceId).orderBy('name').orderBy('id').execute();
}

export async function findLocation(db: Db, practiceId: string, id: string): Promise<Location | undefined> {
  return db.selectFrom('locations').selectAll().where('practice_id', '=', practiceId).where('id', '=', id).executeTakeFirst();
}

export async function insertLocation(trx: Transaction<Database>, row: Insertable<LocationTable>): Promise<Location> {
  return trx.insertInto('locations').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function updateLocation(trx: Transaction<Database>, practiceId: string, id: string, changes: Updateable<LocationTable>): Promise<Location | undefined> {
  return trx.updateTable('locations').set({ ...changes, updated_at: new Date() })
    .where('practice_id', '=', practiceId).where('id', '=', id).returningAll().executeTakeFirst();
}
