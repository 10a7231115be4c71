/**
 * Revoking a contact takes effect on their next query, with the very same claims (an access
 * token issued before the revocation), because every policy reads the live client_contacts
 * row. What they wrote stays, attributed to them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import {
	connect,
	createContact,
	createWorld,
	type Contact,
	type Sql,
	type World
} from '../support/actors.ts';

let admin: Sql;
let db: Database;
let world: World;
let revoked: Contact;
let commentId: string;

const CLIENT_TABLES = [
	'clients',
	'client_contacts',
	'org_branding',
	'shows',
	'episodes',
	'deliverables',
	'deliverable_versions',
	'comments',
	'review_decisions',
	'activity'
];

function countAll(contact: Contact) {
	return db.withUser(contact.claims, async (tx) => {
		const counts: Record<string, number> = {};
		for (const table of CLIENT_TABLES) {
			const [row] = await tx<{ count: number }[]>`
				select count(*)::int as count from ${tx(`public.${table}`)}
			`;
			counts[table] = row.count;
		}
		const [objects] = await tx<{ count: number }[]>`
			select count(*)::int as count from storage.objects where bucket_id = 'deliverables'
		`;
		counts['storage.objects'] = objects.count;
		return counts;
	});
}

beforeAll(async () => {
	({ admin, db } = connect());
	world = await createWorld(admin);
	revoked = await createContact(admin, world, world.a.id, 'Leaver');

	const [row] = await db.withUser(
		revoked.claims,
		(tx) => tx<{ id: string }[]>`
			insert into public.comments (version_id, author_contact_id, visibility, body, at_ms)
			values (${world.a.review.versionId}, ${revoked.contactId}, 'client', 'Before I go', 1000)
			returning id
		`
	);
	commentId = row.id;
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

describe('a revoked contact', () => {
	it('sees their client before the revocation', async () => {
		const counts = await countAll(revoked);

		expect(counts).toMatchObject({ clients: 1, deliverables: 2, client_contacts: 1 });
	});

	describe('after the revocation', () => {
		beforeAll(async () => {
			await admin`
				update public.client_contacts
				set revoked_at = now(), revoked_by = ${world.producer.userId}
				where id = ${revoked.contactId}
			`;
		});

		it('sees nothing on the next query, with the same claims', async () => {
			const nothing = Object.fromEntries(
				[...CLIENT_TABLES, 'storage.objects'].map((table) => [table, 0])
			);

			expect(await countAll(revoked)).toEqual(nothing);
		});

		it('can no longer comment (42501)', async () => {
			await expect(
				db.withUser(
					revoked.claims,
					(tx) => tx`
						insert into public.comments (version_id, author_contact_id, visibility, body)
						values (${world.a.review.versionId}, ${revoked.contactId}, 'client', 'Still here?')
					`
				)
			).rejects.toMatchObject({ code: '42501' });
		});

		it('can no longer decide', async () => {
			await expect(
				db.withUser(
					revoked.claims,
					(tx) => tx`select public.approve_version(${world.a.review.versionId})`
				)
			).rejects.toMatchObject({ code: 'P0001', message: 'Deliverable not found.' });
		});

		it('leaves their comment in place, attributed to them', async () => {
			const [row] = await db.withUser(
				world.a.contact.claims,
				(tx) => tx<{ body: string; author: string }[]>`
					select body, public.comment_author_label(id) as author
					from public.comments where id = ${commentId}
				`
			);

			expect(row).toEqual({ body: 'Before I go', author: revoked.fullName });
		});

		it('does not affect the other contacts of the client', async () => {
			expect(await countAll(world.a.contact)).toMatchObject({ clients: 1, deliverables: 2 });
		});
	});
});
