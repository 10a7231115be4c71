/**
 * public.comment_author_label: the one place that decides how a comment's author is shown.
 * Team members' names reach clients only when the studio turns show_team_names on.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import {
	asAnon,
	connect,
	createWorld,
	type Actor,
	type Sql,
	type World
} from '../support/actors.ts';

let admin: Sql;
let db: Database;
let hidden: World;
let shown: World;
let unbranded: World;

beforeAll(async () => {
	({ admin, db } = connect());
	[hidden, shown, unbranded] = await Promise.all([
		createWorld(admin),
		createWorld(admin, { showTeamNames: true }),
		createWorld(admin, { branding: false })
	]);
});

afterAll(async () => {
	await db.end();
	await admin.end();
});

async function label(actor: Actor, commentId: string) {
	const [row] = await db.withUser(
		actor.claims,
		(tx) => tx<{ label: string | null }[]>`
			select public.comment_author_label(${commentId}) as label
		`
	);
	return row.label;
}

describe('comment_author_label', () => {
	it("gives a contact a fellow contact's full name", async () => {
		const { a } = hidden;

		expect(await label(a.contact, a.comments.fellow)).toBe(a.fellow.fullName);
	});

	it("gives a contact the studio's display name for a team comment by default", async () => {
		expect(await label(hidden.a.contact, hidden.a.comments.team)).toBe(hidden.studioName);
	});

	it("gives a contact the member's name when the studio shows team names", async () => {
		expect(await label(shown.a.contact, shown.a.comments.team)).toBe(shown.producer.displayName);
	});

	it('falls back to the org name when the studio has no branding row', async () => {
		expect(await label(unbranded.a.contact, unbranded.a.comments.team)).toBe(
			`${unbranded.studioName} Ltd`
		);
	});

	it("gives a studio member their colleague's name even with team names hidden", async () => {
		expect(await label(hidden.producer, hidden.a.comments.team)).toBe(hidden.producer.displayName);
		expect(await label(hidden.producer, hidden.a.comments.internal)).toBe(
			hidden.producer.displayName
		);
	});

	it('gives a member the contact name of a contact comment', async () => {
		expect(await label(hidden.producer, hidden.a.comments.contact)).toBe(hidden.a.contact.fullName);
	});

	it('returns null for comments the contact may not see', async () => {
		const { a, b } = hidden;
		const invisible = [
			a.comments.internal,
			a.comments.deleted,
			a.comments.onUnsubmitted,
			a.comments.onDraft,
			b.comments.contact,
			b.comments.team,
			randomUUID()
		];

		for (const commentId of invisible) {
			expect(await label(a.contact, commentId)).toBeNull();
		}
	});

	it('returns null to a producer of another studio, even when team names are shown', async () => {
		expect(await label(hidden.producer, shown.a.comments.team)).toBeNull();
	});

	it('refuses anon by grant (42501)', async () => {
		await expect(
			asAnon(db, (tx) => tx`select public.comment_author_label(${hidden.a.comments.team})`)
		).rejects.toMatchObject({ code: '42501' });
	});
});

describe('team names in the tables themselves', () => {
	it('stay out of reach of contacts even when the studio shows them', async () => {
		const rows = await db.withUser(
			shown.a.contact.claims,
			(tx) => tx`select id from public.org_members`
		);

		expect(rows).toHaveLength(0);
	});
});
