/**
 * The app's pool never lets one request's role or claims reach another's: many interleaved
 * transactions as different users share ten connections, and each sees only itself. Outside
 * withUser / withService the login role can read nothing.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '#lib/server/db.ts';
import {
	connectAdmin,
	createContact,
	createStudio,
	type Contact,
	type Sql
} from '../support/actors.ts';

const USERS = 20;
const TRANSACTIONS = 200;

let admin: Sql;
let db: Database;
let people: { contact: Contact; clientId: string }[];

beforeAll(async () => {
	admin = connectAdmin();
	db = createDatabase(inject('appDatabaseUrl'), { max: 10 });

	const studio = await createStudio(admin);
	people = [];
	for (let i = 0; i < USERS; i++) {
		const [client] = await admin<{ id: string }[]>`
			insert into public.clients (org_id, name) values (${studio.orgId}, ${`Client ${i}`})
			returning id
		`;
		people.push({
			contact: await createContact(admin, studio, client.id, `Person${i}`),
			clientId: client.id
		});
	}
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

interface Seen {
	uid: string | null;
	jwtSub: string;
	role: string;
	clientIds: string[];
	uidAfterSleep: string | null;
}

describe('withUser on a shared pool', () => {
	it('keeps every transaction to its own user under heavy interleaving', async () => {
		const runs = Array.from({ length: TRANSACTIONS }, (_, i) => people[(i * 7) % USERS]);

		const results = await Promise.all(
			runs.map(({ contact }) =>
				db.withUser(contact.claims, async (tx): Promise<Seen> => {
					// auth.uid() reads request.jwt.claim.sub first; the claims must say the same.
					const [first] = await tx<{ uid: string | null; role: string; jwtSub: string }[]>`
						select auth.uid()::text as uid, current_setting('role') as role,
							auth.jwt() ->> 'sub' as "jwtSub"
					`;
					// A short random pause inside the transaction, so others run on the other
					// connections meanwhile and any leak of settings would show.
					await tx`select pg_sleep(${Math.random() * 0.004})`;
					const clients = await tx<{ id: string }[]>`select id from public.clients`;
					const [last] = await tx<{ uid: string | null }[]>`select auth.uid()::text as uid`;
					return {
						uid: first.uid,
						jwtSub: first.jwtSub,
						role: first.role,
						clientIds: clients.map((c) => c.id),
						uidAfterSleep: last.uid
					};
				})
			)
		);

		results.forEach((seen, i) => {
			expect(seen).toEqual({
				uid: runs[i].contact.userId,
				jwtSub: runs[i].contact.userId,
				role: 'authenticated',
				clientIds: [runs[i].clientId],
				uidAfterSleep: runs[i].contact.userId
			});
		});
	});

	it('keeps service transactions and user transactions apart when mixed', async () => {
		const results = await Promise.all(
			Array.from({ length: 60 }, (_, i) =>
				i % 3 === 0
					? db.withService(
							(tx) => tx<{ uid: string | null; role: string }[]>`
								with pause as (select pg_sleep(0.001))
								select auth.uid()::text as uid, current_setting('role') as role from pause
							`
						)
					: db.withUser(
							people[i % USERS].contact.claims,
							(tx) => tx<{ uid: string | null; role: string }[]>`
								with pause as (select pg_sleep(0.001))
								select auth.uid()::text as uid, current_setting('role') as role from pause
							`
						)
			)
		);

		results.forEach(([seen], i) => {
			expect(seen).toMatchObject(
				i % 3 === 0
					? { uid: null, role: 'service_role' }
					: { uid: people[i % USERS].contact.userId, role: 'authenticated' }
			);
		});
	});

	it('leaves a pooled connection without role or claims after a transaction', async () => {
		await Promise.all(
			people.map(({ contact }) => db.withUser(contact.claims, (tx) => tx`select 1`))
		);

		const rows = await Promise.all(
			Array.from(
				{ length: 10 },
				() => db.sql<{ user: string; role: string; claims: string | null; sub: string | null }[]>`
					with pause as (select pg_sleep(0.002))
					select current_user as user, current_setting('role') as role,
						nullif(current_setting('request.jwt.claims', true), '') as claims,
						nullif(current_setting('request.jwt.claim.sub', true), '') as sub
					from pause
				`
			)
		);

		for (const [row] of rows) {
			expect(row).toEqual({ user: 'authenticator', role: 'none', claims: null, sub: null });
		}
	});
});

describe('the pool outside withUser / withService', () => {
	it('can read no table in public (42501)', async () => {
		const tables = await admin<{ name: string }[]>`
			select c.relname as name from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')
		`;
		expect(tables.length).toBeGreaterThan(10);

		for (const { name } of tables) {
			await expect(db.sql`select 1 from ${db.sql(`public.${name}`)} limit 1`).rejects.toMatchObject(
				{ code: '42501' }
			);
		}
	});

	it('cannot call the review functions (42501)', async () => {
		await expect(
			db.sql`select public.approve_version(${people[0].clientId})`
		).rejects.toMatchObject({ code: '42501' });
	});
});
