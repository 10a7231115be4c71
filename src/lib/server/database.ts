import { DATABASE_URL } from '$app/env/private';
import { createDatabase, type Database } from './db.ts';

let database: Database | undefined;

/** The app's one pool. Created on first use so that building the app needs no database. */
export function getDatabase(): Database {
	database ??= createDatabase(DATABASE_URL);
	return database;
}
