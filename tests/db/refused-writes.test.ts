/**
 * Every write this slice does not grant is refused by the missing grant (42501), for contacts
 * and producers alike: deliverables change only through the review functions, activity only
 * through triggers, and the service tables belong to service_role.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { connect, createWorld, type Actor, type Sql, type World } from '../support/actors.ts';

let admin: Sql;
let db: Database;
let world: World;

beforeAll(async () => {
	({ admin, db } = connect());
	world = await createWorld(admin);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

/** For each table, a harmless column to write (its value does not matter: the grant refuses). */
const WRITABLE_COLUMN: Record<string, string> = {
	orgs: 'name',
	org_members: 'display_name',
	org_branding: 'display_name',
	clients: 'name',
	client_contacts: 'full_name',
	shows: 'title',
	episodes: 'title',
	deliverables: 'title',
	deliverable_versions: 'file_name',
	comments: 'body',
	review_decisions: 'note',
	activity: 'summary',
	email_outbox: 'subject',
	auth_link_requests: 'outcome'
};

const actors = (): Actor[] => [world.producer, world.a.contact];

// Admins edit their branding and authors their comments (matrix.test.ts has who may); no one
// else updates these.
const NO_UPDATE = Object.entries(WRITABLE_COLUMN).filter(
	([table]) => !['org_branding', 'comments'].includes(table)
);

// Comments are the one insert this slice grants; comments.test.ts covers who may.
const NO_INSERT = Object.entries(WRITABLE_COLUMN).filter(([table]) => table !== 'comments');

describe.for(NO_UPDATE)('%s', ([table, column]) => {
	it('refuses updates by producers and contacts (42501)', async () => {
		for (const actor of actors()) {
			await expect(
				db.withUser(
					actor.claims,
					(tx) => tx`update ${tx(`public.${table}`)} set ${tx(column)} = ${'x'} returning *`
				)
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('refuses deletes by producers and contacts (42501)', async () => {
		for (const actor of actors()) {
			await expect(
				db.withUser(actor.claims, (tx) => tx`delete from ${tx(`public.${table}`)} returning *`)
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});

describe.for(NO_INSERT)('%s', ([table, column]) => {
	it('refuses inserts by producers and contacts (42501)', async () => {
		for (const actor of actors()) {
			await expect(
				db.withUser(
					actor.claims,
					(tx) => tx`insert into ${tx(`public.${table}`)} ${tx({ [column]: 'x' })}`
				)
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});

describe('the review deliverable', () => {
	it('is unchanged after a contact tried to approve it by update', async () => {
		const { a } = world;
		await expect(
			db.withUser(
				a.contact.claims,
				(tx) => tx`
					update public.deliverables set status = 'approved' where id = ${a.review.deliverableId}
				`
			)
		).rejects.toMatchObject({ code: '42501' });

		const [row] = await admin<{ status: string }[]>`
			select status from public.deliverables where id = ${a.review.deliverableId}
		`;
		expect(row.status).toBe('in_review');
	});
});
