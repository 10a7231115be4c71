/**
 * Several contacts of one client see the same content, table by table, while each comment and
 * decision stays attributed to the contact who made it. Only the rows about a person (their
 * contact row, their notifications) differ.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import { connect, type Contact, type Sql } from '../support/actors.ts';
import { createWorkspace, type Workspace } from '../support/workspace.ts';

let admin: Sql;
let db: Database;
let ws: Workspace;

beforeAll(async () => {
	({ admin, db } = connect());
	ws = await createWorkspace(admin);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

const PER_PERSON = ['public.client_contacts', 'public.notifications'];

async function readEverything(contact: Contact) {
	return db.withUser(contact.claims, async (tx: Tx) => {
		const tables = await tx<{ name: string }[]>`
			select format('%I.%I', n.nspname, c.relname) as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname in ('public', 'storage') and c.relkind in ('r', 'p', 'v', 'm')
				and has_table_privilege(c.oid, 'select')
			order by 1
		`;
		const seen: Record<string, string[]> = {};
		for (const { name } of tables.filter((t) => !PER_PERSON.includes(t.name))) {
			const rows = await tx.unsafe<{ row: string }[]>(`select t::text as row from ${name} t`);
			seen[name] = rows.map((r) => r.row).sort();
		}
		return seen;
	});
}

describe('fellow contacts of one client', () => {
	it('see exactly the same rows in every table but their own contact rows', async () => {
		const { a } = ws.world;
		const first = await readEverything(a.contact);

		expect(first['public.deliverables'].length).toBeGreaterThan(0);
		expect(await readEverything(a.fellow)).toEqual(first);
	});

	it('see each comment attributed to the contact who wrote it', async () => {
		const { a } = ws.world;

		for (const reader of [a.contact, a.fellow]) {
			const labels = await db.withUser(
				reader.claims,
				(tx) => tx<{ id: string; author: string }[]>`
					select id, public.comment_author_label(id) as author from public.comments
					where id in ${tx([a.comments.contact, a.comments.fellow])}
					order by id
				`
			);

			expect(Object.fromEntries(labels.map((l) => [l.id, l.author]))).toEqual({
				[a.comments.contact]: a.contact.fullName,
				[a.comments.fellow]: a.fellow.fullName
			});
		}
	});

	it("record a decision as the deciding contact's, for everyone to see", async () => {
		const { a } = ws.world;
		await db.withUser(
			a.fellow.claims,
			(tx) => tx`select public.approve_version(${a.review.versionId}, 'Good to go')`
		);

		const decisions = await db.withUser(
			a.contact.claims,
			(tx) => tx<{ contact_id: string; decided_by: string }[]>`
				select contact_id, decided_by from public.review_decisions
				where version_id = ${a.review.versionId}
			`
		);
		const [activity] = await db.withUser(
			a.contact.claims,
			(tx) => tx<{ summary: string; actor_user_id: string }[]>`
				select summary, actor_user_id from public.activity
				where kind = 'review.approved' and deliverable_id = ${a.review.deliverableId}
			`
		);

		expect(decisions).toEqual([{ contact_id: a.fellow.contactId, decided_by: a.fellow.userId }]);
		expect(activity).toEqual({
			summary: `${a.fellow.fullName} approved ${a.review.title}`,
			actor_user_id: a.fellow.userId
		});
	});
});
