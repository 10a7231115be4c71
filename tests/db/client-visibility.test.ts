/**
 * The client_visible flags (20261204500100): the database keeps them equal to the rules they
 * stand for, whatever write changes a rule's input, and no API role can set one. The contact
 * policies of deliverables, versions and comments read nothing else, so a stale flag would be
 * a leak or a hole; these tests drive each input and watch what a contact sees.
 *
 * Also public.comment_author_labels, which labels a deliverable's comments in one call: it must
 * agree with comment_author_label, comment by comment, for every kind of caller.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import {
	asAnon,
	connect,
	createContact,
	createReviewDeliverable,
	createWorld,
	type Actor,
	type Contact,
	type Sql,
	type World
} from '../support/actors.ts';
import { seenOf, staleFlags as staleFlagsIn } from '../support/visibility.ts';

let admin: Sql;
let db: Database;
let world: World;
let other: World;

beforeAll(async () => {
	({ admin, db } = connect());
	[world, other] = await Promise.all([createWorld(admin), createWorld(admin)]);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

const seenBy = (contact: Contact, deliverableId: string) =>
	seenOf(db, contact.claims, deliverableId);
const staleFlags = () => staleFlagsIn(admin);

const NONE_STALE = { deliverables: 0, versions: 0, comments: 0 };

/** A deliverable in review whose only version is not submitted yet, with a client comment. */
async function pendingDeliverable() {
	const { a } = world;
	const deliverableId = randomUUID();
	const versionId = randomUUID();
	await admin`
		insert into public.deliverables (id, org_id, client_id, episode_id, kind, title, status)
		values (${deliverableId}, ${world.orgId}, ${a.id}, ${a.episodeId}, 'final_mix',
			'Pending mix', 'in_review')
	`;
	await admin`
		insert into public.deliverable_versions (id, org_id, client_id, deliverable_id, number,
			storage_path, file_name, mime_type, size_bytes)
		values (${versionId}, ${world.orgId}, ${a.id}, ${deliverableId}, 1,
			${`${world.orgId}/${deliverableId}/${versionId}/pending.wav`}, 'pending.wav',
			'audio/wav', 1000)
	`;
	await admin`
		insert into public.comments (version_id, author_user_id, author_member_id, visibility,
			body)
		values (${versionId}, ${world.producer.userId}, ${world.producer.memberId}, 'client',
			'Ready soon')
	`;
	return { deliverableId, versionId };
}

/** A deliverable of client a in review, submitted, with a client comment each by the team and a fellow. */
async function reviewWithComments() {
	const { a } = world;
	const client = { id: a.id, orgId: world.orgId, episodeId: a.episodeId };
	const { deliverableId, versionId } = await createReviewDeliverable(admin, client);
	const [team] = await admin<{ id: string }[]>`
		insert into public.comments (version_id, author_user_id, author_member_id, visibility, body)
		values (${versionId}, ${world.producer.userId}, ${world.producer.memberId}, 'client', 'Noted')
		returning id
	`;
	const [fellow] = await admin<{ id: string }[]>`
		insert into public.comments (version_id, author_user_id, author_contact_id, visibility, body)
		values (${versionId}, ${a.fellow.userId}, ${a.fellow.contactId}, 'client', 'Agreed')
		returning id
	`;
	return { deliverableId, team: team.id, fellow: fellow.id };
}

describe('the client_visible flags', () => {
	it('agree with their rules on every fixture row', async () => {
		expect(await staleFlags()).toEqual(NONE_STALE);
	});

	it('show a deliverable, its version and its comments once a version is submitted', async () => {
		const { deliverableId, versionId } = await pendingDeliverable();

		expect(await seenBy(world.a.contact, deliverableId)).toEqual({
			deliverables: 0,
			versions: 0,
			comments: 0
		});

		await admin`
			update public.deliverable_versions set submitted_at = now() where id = ${versionId}
		`;

		expect(await seenBy(world.a.contact, deliverableId)).toEqual({
			deliverables: 1,
			versions: 1,
			comments: 1
		});
		expect(await seenBy(world.b.contact, deliverableId)).toEqual({
			deliverables: 0,
			versions: 0,
			comments: 0
		});
		expect(await staleFlags()).toEqual(NONE_STALE);
	});

	it('hide everything of a deliverable moved back to draft, and show it again after', async () => {
		const { a } = world;
		const { deliverableId } = await reviewWithComments();
		const shown = { deliverables: 1, versions: 1, comments: 2 };
		expect(await seenBy(a.contact, deliverableId)).toEqual(shown);

		await admin`update public.deliverables set status = 'draft' where id = ${deliverableId}`;
		expect(await seenBy(a.contact, deliverableId)).toEqual({
			deliverables: 0,
			versions: 0,
			comments: 0
		});
		expect(await staleFlags()).toEqual(NONE_STALE);

		await admin`update public.deliverables set status = 'in_review' where id = ${deliverableId}`;
		expect(await seenBy(a.contact, deliverableId)).toEqual(shown);
		expect(await staleFlags()).toEqual(NONE_STALE);
	});

	it('hide a comment the studio makes internal or deletes', async () => {
		const { a } = world;
		const { team, fellow } = await reviewWithComments();
		const visible = async (commentId: string) =>
			db.withUser(a.contact.claims, async (tx) => {
				const rows = await tx`select 1 from public.comments where id = ${commentId}`;
				return rows.length === 1;
			});
		expect(await visible(team)).toBe(true);
		expect(await visible(fellow)).toBe(true);

		await admin`update public.comments set visibility = 'internal' where id = ${team}`;
		await admin`update public.comments set deleted_at = now() where id = ${fellow}`;

		expect(await visible(team)).toBe(false);
		expect(await visible(fellow)).toBe(false);
		expect(await staleFlags()).toEqual(NONE_STALE);

		await admin`update public.comments set visibility = 'client' where id = ${team}`;
		expect(await visible(team)).toBe(true);
	});

	it('set their own value on a new comment, whatever the writer passes', async () => {
		const { b } = world;
		const [row] = await db.withUser(
			b.contact.claims,
			(tx) => tx<{ client_visible: boolean }[]>`
				insert into public.comments (version_id, author_contact_id, visibility, body)
				values (${b.review.versionId}, ${b.contact.contactId}, 'client', 'Looks good')
				returning client_visible
			`
		);
		expect(row.client_visible).toBe(true);
	});

	it('are recomputed by private.refresh_client_visible after a direct write', async () => {
		await admin`
			update public.deliverable_versions set client_visible = true
			where id = ${world.a.draft.versionId}
		`;
		expect((await staleFlags()).versions).toBeGreaterThan(0);

		// The refresh refuses to wait for writes in progress (55P03), and other test files write
		// to these tables meanwhile: run it again until it finds a quiet moment, a bounded number
		// of times.
		for (let attempt = 1; ; attempt += 1) {
			try {
				await admin`select private.refresh_client_visible()`;
				break;
			} catch (error) {
				if ((error as { code?: string }).code !== '55P03' || attempt === 200) {
					throw error;
				}
			}
		}

		expect(await staleFlags()).toEqual(NONE_STALE);
	});

	it.each([
		['a contact', () => world.a.contact],
		['a producer', () => world.producer]
	])('cannot be written by %s (42501)', async (_, actor: () => Actor) => {
		const attempts = [
			`update public.comments set client_visible = true where id = '${world.a.comments.internal}'`,
			`update public.deliverables set client_visible = true where id = '${world.a.draft.deliverableId}'`,
			`update public.deliverable_versions set client_visible = true
				where id = '${world.a.draft.versionId}'`
		];
		for (const statement of attempts) {
			await expect(
				db.withUser(actor().claims, (tx) => tx.unsafe(statement)),
				statement
			).rejects.toMatchObject({ code: '42501' });
		}
	});
});

describe('comment_author_labels', () => {
	async function labels(actor: Actor, deliverableId: string) {
		const rows = await db.withUser(
			actor.claims,
			(tx) => tx<{ comment_id: string; author: string | null }[]>`
				select comment_id, author from public.comment_author_labels(${deliverableId})
			`
		);
		return Object.fromEntries(rows.map((row) => [row.comment_id, row.author]));
	}

	async function labelsOneByOne(actor: Actor, deliverableId: string) {
		const rows = await db.withUser(
			actor.claims,
			(tx) => tx<{ id: string; author: string | null }[]>`
				select c.id, public.comment_author_label(c.id) as author
				from public.comments c
				where c.deliverable_id = ${deliverableId}
			`
		);
		return Object.fromEntries(
			rows.filter((row) => row.author !== null).map((row) => [row.id, row.author])
		);
	}

	it('labels every comment of the deliverable for a studio member', async () => {
		const { a } = world;
		const all = await admin<{ id: string }[]>`
			select id from public.comments where deliverable_id = ${a.review.deliverableId}
		`;
		const result = await labels(world.producer, a.review.deliverableId);

		expect(Object.keys(result).sort()).toEqual(all.map((row) => row.id).sort());
		expect(result[a.comments.contact]).toBe(a.contact.fullName);
		expect(result[a.comments.internal]).toBe(world.producer.displayName);
	});

	it('labels only the comments a contact may see, with the studio name for the team', async () => {
		const { a } = world;
		const result = await labels(a.contact, a.review.deliverableId);

		expect(result[a.comments.contact]).toBe(a.contact.fullName);
		expect(result).not.toHaveProperty(a.comments.internal);
		expect(result).not.toHaveProperty(a.comments.deleted);
		expect(Object.values(result)).not.toContain(world.producer.displayName);
	});

	it("gives nothing to a contact of another client, another studio's member or a revoked contact", async () => {
		const leaver = await createContact(admin, world, world.a.id, 'Leaver');
		await admin`update public.client_contacts set revoked_at = now() where id = ${leaver.contactId}`;

		for (const outsider of [world.b.contact, other.producer, other.a.contact, leaver]) {
			expect(await labels(outsider, world.a.review.deliverableId)).toEqual({});
		}
	});

	it('gives nothing for a draft deliverable to its own contact', async () => {
		expect(await labels(world.a.contact, world.a.draft.deliverableId)).toEqual({});
	});

	it.each([
		['producer', () => world.producer],
		['contact', () => world.a.contact],
		['fellow contact', () => world.a.fellow],
		['other client contact', () => world.b.contact],
		['other studio producer', () => other.producer]
	])('agrees with comment_author_label for a %s', async (_, actor: () => Actor) => {
		for (const deliverableId of [world.a.review.deliverableId, world.a.draft.deliverableId]) {
			expect(await labels(actor(), deliverableId)).toEqual(
				await labelsOneByOne(actor(), deliverableId)
			);
		}
	});

	it('refuses anon by grant (42501)', async () => {
		await expect(
			asAnon(
				db,
				(tx) => tx`select * from public.comment_author_labels(${world.a.review.deliverableId})`
			)
		).rejects.toMatchObject({ code: '42501' });
	});
});
