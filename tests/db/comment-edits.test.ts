/**
 * Editing, resolving and soft-deleting comments: authors edit or delete only their own, the
 * studio resolves, nobody hard-deletes, and a revoked contact changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { connect, type Actor, type Sql } from '../support/actors.ts';
import { attempt } from '../support/attempt.ts';
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

/** A fresh client-visible comment on client A's review version, by `author`. */
async function commentBy(author: { userId: string; contactId?: string; memberId?: string }) {
	const [row] = await admin<{ id: string }[]>`
		insert into public.comments (version_id, author_user_id, author_contact_id, author_member_id,
			visibility, body)
		values (${ws.world.a.review.versionId}, ${author.userId}, ${author.contactId ?? null},
			${author.memberId ?? null}, 'client', 'First thoughts')
		returning id
	`;
	return row.id;
}

function change(actor: Actor, id: string, values: Record<string, unknown>) {
	return db.withUser(
		actor.claims,
		(tx) => tx`update public.comments set ${tx(values)} where id = ${id} returning id`
	);
}

async function stored(id: string) {
	const [row] = await admin<
		{ body: string; edited_at: Date | null; deleted_at: Date | null; resolved_at: Date | null }[]
	>`select body, edited_at, deleted_at, resolved_at from public.comments where id = ${id}`;
	return row;
}

describe('editing a comment', () => {
	it('lets a contact rewrite their own comment and dates the edit', async () => {
		const id = await commentBy(ws.world.a.contact);

		expect(await change(ws.world.a.contact, id, { body: 'Second thoughts' })).toEqual([{ id }]);
		expect(await stored(id)).toMatchObject({
			body: 'Second thoughts',
			edited_at: expect.any(Date)
		});
	});

	it("hides a contact's comment from a fellow contact's edits (no rows)", async () => {
		const id = await commentBy(ws.world.a.contact);

		expect(await change(ws.world.a.fellow, id, { body: 'Not mine' })).toEqual([]);
		expect((await stored(id)).body).toBe('First thoughts');
	});

	it("refuses a member the rewrite of a contact's comment (42501)", async () => {
		const id = await commentBy(ws.world.a.contact);

		await expect(change(ws.producer, id, { body: 'Edited by the studio' })).rejects.toMatchObject({
			code: '42501',
			message: 'Only its author can edit or delete a comment.'
		});
	});

	it('lets a member rewrite their own comment', async () => {
		const id = await commentBy(ws.producer);

		expect(await change(ws.producer, id, { body: 'Fixed a typo' })).toEqual([{ id }]);
	});

	it('leaves a revoked contact unable to edit what they wrote (no rows)', async () => {
		const id = await commentBy(ws.revoked);

		expect(await change(ws.revoked, id, { body: 'Changed my mind' })).toEqual([]);
		expect((await stored(id)).body).toBe('First thoughts');
	});

	it('refuses anyone a change of visibility or author (42501)', async () => {
		const id = await commentBy(ws.world.a.contact);

		for (const values of [{ visibility: 'internal' }, { author_contact_id: null }]) {
			const outcome = await attempt(
				db,
				ws.world.a.contact,
				(tx) => tx`update public.comments set ${tx(values)} where id = ${id} returning id`
			);
			expect(outcome).toMatchObject({
				code: '42501',
				message: expect.stringMatching(/^permission denied for table/)
			});
		}
	});
});

describe('deleting a comment', () => {
	function remove(actor: Actor, id: string) {
		return db.withUser(actor.claims, (tx) => tx`select public.delete_comment(${id})`);
	}

	it("soft-deletes a contact's own comment, which then leaves the portal", async () => {
		const id = await commentBy(ws.world.a.contact);

		await remove(ws.world.a.contact, id);

		expect((await stored(id)).deleted_at).toBeInstanceOf(Date);
		const seen = await db.withUser(
			ws.world.a.fellow.claims,
			(tx) => tx`select id from public.comments where id = ${id}`
		);
		expect(seen).toEqual([]);
	});

	it('lets a member delete their own comment', async () => {
		const id = await commentBy(ws.producer);

		await remove(ws.producer, id);

		expect((await stored(id)).deleted_at).toBeInstanceOf(Date);
	});

	it("answers 'Comment not found.' to anyone but the author, and to a revoked author", async () => {
		const byContact = await commentBy(ws.world.a.contact);
		const byRevoked = await commentBy(ws.revoked);
		const refusals = [
			[ws.world.a.fellow, byContact],
			[ws.producer, byContact],
			[ws.orgAdmin, byContact],
			[ws.world.b.contact, byContact],
			[ws.revoked, byRevoked]
		] as const;

		for (const [actor, id] of refusals) {
			await expect(remove(actor, id)).rejects.toMatchObject({
				code: 'P0001',
				message: 'Comment not found.'
			});
		}
		expect((await stored(byContact)).deleted_at).toBeNull();
		expect((await stored(byRevoked)).deleted_at).toBeNull();
	});

	it('refuses any change to a deleted comment (42501)', async () => {
		const id = await commentBy(ws.producer);
		await remove(ws.producer, id);

		await expect(change(ws.producer, id, { body: 'Back again' })).rejects.toMatchObject({
			code: '42501',
			message: 'A deleted comment cannot be changed.'
		});
	});

	it('refuses un-deleting and every hard delete (42501)', async () => {
		const id = await commentBy(ws.world.a.contact);

		await expect(change(ws.producer, id, { deleted_at: null })).rejects.toMatchObject({
			code: '42501',
			message: expect.stringMatching(/^permission denied for table/)
		});
		for (const actor of [ws.world.a.contact, ws.producer, ws.orgAdmin]) {
			await expect(
				db.withUser(actor.claims, (tx) => tx`delete from public.comments where id = ${id}`)
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});

describe('resolving a comment', () => {
	it("lets any member resolve their org's comments, dated by the server", async () => {
		const id = await commentBy(ws.world.a.contact);

		expect(await change(ws.producer, id, { resolved_at: '2000-01-01T00:00:00Z' })).toEqual([
			{ id }
		]);

		const { resolved_at: resolvedAt } = await stored(id);
		expect(resolvedAt?.getFullYear()).toBeGreaterThan(2000);
	});

	it('refuses a contact the resolution of their own comment (42501)', async () => {
		const id = await commentBy(ws.world.a.contact);

		await expect(change(ws.world.a.contact, id, { resolved_at: new Date() })).rejects.toMatchObject(
			{ code: '42501', message: 'Only the studio can resolve a comment.' }
		);
	});
});
