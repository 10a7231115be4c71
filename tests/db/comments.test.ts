/**
 * Writing comments: a contact comments for the client, as themselves, on versions they can
 * review; the studio comments for the client or internally. Each refusal is asserted by how it
 * happens: 42501 from a grant or a `with check`.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import {
	asAnon,
	connect,
	createStudio,
	createWorld,
	type Actor,
	type Sql,
	type Studio,
	type World
} from '../support/actors.ts';

let admin: Sql;
let db: Database;
let world: World;
let outsider: Studio;

beforeAll(async () => {
	({ admin, db } = connect());
	world = await createWorld(admin);
	outsider = await createStudio(admin);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

interface CommentInput {
	versionId: string;
	visibility?: string;
	authorContactId?: string | null;
	authorMemberId?: string | null;
	authorUserId?: string;
	parentId?: string | null;
	body?: string;
	atMs?: number | null;
}

interface InsertedComment {
	id: string;
	org_id: string;
	client_id: string;
	deliverable_id: string;
	author_user_id: string;
	author_contact_id: string | null;
	author_member_id: string | null;
	visibility: string;
	body: string;
	at_ms: number | null;
}

/** Inserts as `actor` the way the app does: naming only the version and the author. */
function comment(actor: Actor, input: CommentInput) {
	return db.withUser(actor.claims, async (tx) => {
		const [row] = await tx<InsertedComment[]>`
			insert into public.comments (version_id, visibility, author_user_id, author_contact_id,
				author_member_id, parent_id, body, at_ms)
			values (${input.versionId}, ${input.visibility ?? 'client'},
				${input.authorUserId ?? actor.userId}, ${input.authorContactId ?? null},
				${input.authorMemberId ?? null}, ${input.parentId ?? null},
				${input.body ?? 'Could the intro be shorter?'}, ${input.atMs ?? 42_000})
			returning *
		`;
		return row;
	});
}

function activityFor(commentId: string) {
	return admin<{ kind: string; summary: string; client_visible: boolean; actor_user_id: string }[]>`
		select kind, summary, client_visible, actor_user_id from public.activity
		where comment_id = ${commentId}
	`;
}

describe('a contact commenting', () => {
	it('inserts a client comment on the version under review, scoped from the version', async () => {
		const { a } = world;

		const row = await comment(a.contact, {
			versionId: a.review.versionId,
			authorContactId: a.contact.contactId,
			body: 'Love the new intro.',
			atMs: 42_000
		});

		expect(row).toMatchObject({
			org_id: world.orgId,
			client_id: a.id,
			deliverable_id: a.review.deliverableId,
			author_user_id: a.contact.userId,
			author_contact_id: a.contact.contactId,
			author_member_id: null,
			visibility: 'client',
			body: 'Love the new intro.',
			at_ms: 42_000
		});
	});

	it('writes a client-visible activity row naming the contact', async () => {
		const { a } = world;

		const row = await comment(a.contact, {
			versionId: a.review.versionId,
			authorContactId: a.contact.contactId
		});

		expect(await activityFor(row.id)).toEqual([
			{
				kind: 'comment.created',
				summary: `${a.contact.fullName} commented on ${a.review.title}`,
				client_visible: true,
				actor_user_id: a.contact.userId
			}
		]);
		const seen = await db.withUser(
			a.fellow.claims,
			(tx) => tx`select id from public.activity where comment_id = ${row.id}`
		);
		expect(seen).toHaveLength(1);
	});

	it('may reply to a client comment on the same version', async () => {
		const { a } = world;

		const row = await comment(a.contact, {
			versionId: a.review.versionId,
			authorContactId: a.contact.contactId,
			parentId: a.comments.team
		});

		expect(row.id).toBeTypeOf('string');
	});

	it('is refused an internal comment (42501)', async () => {
		const { a } = world;

		await expect(
			comment(a.contact, {
				versionId: a.review.versionId,
				authorContactId: a.contact.contactId,
				visibility: 'internal'
			})
		).rejects.toMatchObject({ code: '42501' });
	});

	it('is refused commenting as a fellow contact (42501)', async () => {
		const { a } = world;

		await expect(
			comment(a.contact, { versionId: a.review.versionId, authorContactId: a.fellow.contactId })
		).rejects.toMatchObject({ code: '42501' });
	});

	it("is refused commenting under another user's id (42501)", async () => {
		const { a } = world;

		await expect(
			comment(a.contact, {
				versionId: a.review.versionId,
				authorContactId: a.contact.contactId,
				authorUserId: a.fellow.userId
			})
		).rejects.toMatchObject({ code: '42501' });
	});

	it('is refused commenting as a studio member (42501)', async () => {
		const { a } = world;

		await expect(
			comment(a.contact, {
				versionId: a.review.versionId,
				authorMemberId: world.producer.memberId
			})
		).rejects.toMatchObject({ code: '42501' });
	});

	it("is refused on another client's version (42501)", async () => {
		const { a, b } = world;

		for (const authorContactId of [a.contact.contactId, b.contact.contactId]) {
			await expect(
				comment(a.contact, { versionId: b.review.versionId, authorContactId })
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('is refused on an unsubmitted version and on a draft deliverable (42501)', async () => {
		const { a } = world;

		for (const versionId of [a.review.unsubmittedVersionId, a.draft.versionId]) {
			await expect(
				comment(a.contact, { versionId, authorContactId: a.contact.contactId })
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('is refused a reply to an internal comment, like one to a missing comment', async () => {
		const { a } = world;
		const reply = (parentId: string) =>
			comment(a.contact, {
				versionId: a.review.versionId,
				authorContactId: a.contact.contactId,
				parentId
			});
		const refusal = {
			code: '23514',
			message: 'A reply the client can see must answer a comment the client can see.'
		};

		await expect(reply(a.comments.internal)).rejects.toMatchObject(refusal);
		await expect(reply(randomUUID())).rejects.toMatchObject(refusal);
	});

	it('cannot set resolution or deletion on insert (42501, column grant)', async () => {
		const { a } = world;

		await expect(
			db.withUser(
				a.contact.claims,
				(tx) => tx`
					insert into public.comments (version_id, author_contact_id, visibility, body, deleted_at)
					values (${a.review.versionId}, ${a.contact.contactId}, 'client', 'Hi', now())
				`
			)
		).rejects.toMatchObject({ code: '42501' });
	});

	it('is refused a blank body by the check constraint (23514)', async () => {
		const { a } = world;

		for (const body of ['', ' \n\t ']) {
			await expect(
				comment(a.contact, {
					versionId: a.review.versionId,
					authorContactId: a.contact.contactId,
					body
				})
			).rejects.toMatchObject({ code: '23514' });
		}
	});
});

describe('the studio commenting', () => {
	it('inserts an internal comment whose activity clients never see', async () => {
		const { a } = world;

		const row = await comment(world.producer, {
			versionId: a.review.versionId,
			authorMemberId: world.producer.memberId,
			visibility: 'internal'
		});

		expect(row).toMatchObject({
			visibility: 'internal',
			author_member_id: world.producer.memberId
		});
		expect(await activityFor(row.id)).toMatchObject([
			{
				summary: `${world.producer.displayName} left an internal comment on ${a.review.title}`,
				client_visible: false
			}
		]);
		const seen = await db.withUser(
			a.contact.claims,
			(tx) => tx`select id from public.activity where comment_id = ${row.id}`
		);
		expect(seen).toHaveLength(0);
	});

	it('inserts a client comment whose activity names the studio, not the member', async () => {
		const { a } = world;

		const row = await comment(world.producer, {
			versionId: a.review.versionId,
			authorMemberId: world.producer.memberId
		});

		expect(await activityFor(row.id)).toMatchObject([
			{ summary: `${world.studioName} commented on ${a.review.title}`, client_visible: true }
		]);
	});

	it('comments on unsubmitted work, with activity kept from clients', async () => {
		const { a } = world;

		const row = await comment(world.producer, {
			versionId: a.draft.versionId,
			authorMemberId: world.producer.memberId
		});

		expect(await activityFor(row.id)).toMatchObject([{ client_visible: false }]);
	});

	it('is refused commenting as a contact (42501)', async () => {
		const { a } = world;

		await expect(
			comment(world.producer, {
				versionId: a.review.versionId,
				authorContactId: a.contact.contactId
			})
		).rejects.toMatchObject({ code: '42501' });
	});

	it("is refused on another studio's version (42501)", async () => {
		await expect(
			comment(outsider.producer, {
				versionId: world.a.review.versionId,
				authorMemberId: outsider.producer.memberId
			})
		).rejects.toMatchObject({ code: '42501' });
	});
});

describe('anon commenting', () => {
	it('is refused by grant (42501)', async () => {
		await expect(
			asAnon(
				db,
				(tx) => tx`
					insert into public.comments (version_id, author_contact_id, visibility, body)
					values (${world.a.review.versionId}, ${world.a.contact.contactId}, 'client', 'Hi')
				`
			)
		).rejects.toMatchObject({ code: '42501' });
	});
});
