/**
 * approve_version and request_revision: the right contact records a decision that moves the
 * deliverable's status and shows in the feed; everyone else gets the exact sentence the portal
 * shows. review_decisions itself is append-only for every role but service_role.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import {
	asAnon,
	connect,
	createReviewDeliverable,
	createWorld,
	type Actor,
	type Sql,
	type World
} from '../support/actors.ts';

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

const ALREADY_REVIEWED = 'This version has already been reviewed.';
const NOT_CURRENT = 'Only the current version of a deliverable can be reviewed.';
const NOTE_REQUIRED = 'Please describe the changes you would like.';
const NOT_FOUND = 'Deliverable not found.';

interface Decision {
	id: string;
	org_id: string;
	client_id: string;
	deliverable_id: string;
	version_id: string;
	contact_id: string;
	decided_by: string;
	decision: string;
	note: string | null;
}

function approve(actor: Actor, versionId: string, note: string | null = null) {
	return db.withUser(actor.claims, async (tx) => {
		const [row] = await tx<Decision[]>`select * from public.approve_version(${versionId}, ${note})`;
		return row;
	});
}

function requestRevision(actor: Actor, versionId: string, note: string | null) {
	return db.withUser(actor.claims, async (tx) => {
		const [row] = await tx<Decision[]>`
			select * from public.request_revision(${versionId}, ${note})
		`;
		return row;
	});
}

function refusal(message: string) {
	return { code: 'P0001', message };
}

async function statusAs(actor: Actor, deliverableId: string) {
	const rows = await db.withUser(
		actor.claims,
		(tx) => tx<{ status: string }[]>`
			select status from public.deliverables where id = ${deliverableId}
		`
	);
	return rows.map((row) => row.status);
}

const freshReview = (options?: Parameters<typeof createReviewDeliverable>[2]) =>
	createReviewDeliverable(admin, { ...world.a, orgId: world.orgId }, options);

describe('approve_version', () => {
	it('records the decision and approves the deliverable', async () => {
		const { a } = world;
		const review = await freshReview();

		const decision = await approve(a.contact, review.versionId, '  Ship it.  ');

		expect(decision).toMatchObject({
			org_id: world.orgId,
			client_id: a.id,
			deliverable_id: review.deliverableId,
			version_id: review.versionId,
			contact_id: a.contact.contactId,
			decided_by: a.contact.userId,
			decision: 'approved',
			note: 'Ship it.'
		});
		expect(await statusAs(a.contact, review.deliverableId)).toEqual(['approved']);
	});

	it('writes a client-visible activity row that the contact can read', async () => {
		const { a } = world;
		const review = await freshReview();

		const decision = await approve(a.contact, review.versionId);
		const activity = await db.withUser(
			a.contact.claims,
			(tx) => tx<{ kind: string; summary: string }[]>`
				select kind, summary from public.activity where review_decision_id = ${decision.id}
			`
		);

		expect(activity).toEqual([
			{ kind: 'review.approved', summary: `${a.contact.fullName} approved ${review.title}` }
		]);
	});

	it('accepts no note', async () => {
		const review = await freshReview();

		expect(await approve(world.a.contact, review.versionId)).toMatchObject({ note: null });
	});

	it('attributes the decision to whichever contact of the client made it', async () => {
		const { a } = world;
		const review = await freshReview();

		expect(await approve(a.fellow, review.versionId)).toMatchObject({
			contact_id: a.fellow.contactId,
			decided_by: a.fellow.userId
		});
	});

	it('refuses a second decision on the same version', async () => {
		const { a } = world;
		const review = await freshReview();
		await approve(a.contact, review.versionId);

		await expect(approve(a.fellow, review.versionId)).rejects.toMatchObject(
			refusal(ALREADY_REVIEWED)
		);
		await expect(requestRevision(a.contact, review.versionId, 'Change it')).rejects.toMatchObject(
			refusal(ALREADY_REVIEWED)
		);
		expect(await statusAs(a.contact, review.deliverableId)).toEqual(['approved']);
	});

	it('lets exactly one of two simultaneous decisions through', async () => {
		const { a } = world;
		const review = await freshReview();

		const results = await Promise.allSettled([
			approve(a.contact, review.versionId),
			requestRevision(a.fellow, review.versionId, 'Louder, please')
		]);

		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		expect(results.find((r) => r.status === 'rejected')).toMatchObject({
			reason: refusal(ALREADY_REVIEWED)
		});
	});

	it("refuses another client's contact as if the deliverable did not exist", async () => {
		const review = await freshReview();

		await expect(approve(world.b.contact, review.versionId)).rejects.toMatchObject(
			refusal(NOT_FOUND)
		);
		expect(await statusAs(world.producer, review.deliverableId)).toEqual(['in_review']);
	});

	it('refuses a studio member, who is not a contact', async () => {
		const review = await freshReview();

		await expect(approve(world.producer, review.versionId)).rejects.toMatchObject(
			refusal(NOT_FOUND)
		);
	});

	it('refuses unknown, unsubmitted and draft versions alike', async () => {
		const { a } = world;

		for (const versionId of [randomUUID(), a.review.unsubmittedVersionId, a.draft.versionId]) {
			await expect(approve(a.contact, versionId)).rejects.toMatchObject(refusal(NOT_FOUND));
		}
	});

	it('refuses a version that a newer submitted version has replaced', async () => {
		const review = await freshReview({ extra: 'superseded' });

		await expect(approve(world.a.contact, review.otherVersionId ?? '')).rejects.toMatchObject(
			refusal(NOT_CURRENT)
		);
	});

	it('refuses anon by grant (42501)', async () => {
		const review = await freshReview();

		await expect(
			asAnon(db, (tx) => tx`select public.approve_version(${review.versionId})`)
		).rejects.toMatchObject({ code: '42501' });
	});
});

describe('request_revision', () => {
	it('records the note and marks the deliverable revision requested', async () => {
		const { a } = world;
		const review = await freshReview();

		const decision = await requestRevision(a.contact, review.versionId, 'Cut the last minute.');

		expect(decision).toMatchObject({
			decision: 'revision_requested',
			note: 'Cut the last minute.',
			contact_id: a.contact.contactId
		});
		expect(await statusAs(a.contact, review.deliverableId)).toEqual(['revision_requested']);
		const [activity] = await admin<{ summary: string; client_visible: boolean }[]>`
			select summary, client_visible from public.activity where review_decision_id = ${decision.id}
		`;
		expect(activity).toEqual({
			summary: `${a.contact.fullName} requested a revision of ${review.title}`,
			client_visible: true
		});
	});

	it('requires a note', async () => {
		const review = await freshReview();

		for (const note of [null, '', '   \n ']) {
			await expect(requestRevision(world.a.contact, review.versionId, note)).rejects.toMatchObject(
				refusal(NOTE_REQUIRED)
			);
		}
		expect(await statusAs(world.a.contact, review.deliverableId)).toEqual(['in_review']);
	});

	it("refuses another client's contact as if the deliverable did not exist", async () => {
		const review = await freshReview();

		await expect(
			requestRevision(world.b.contact, review.versionId, 'Change it')
		).rejects.toMatchObject(refusal(NOT_FOUND));
	});

	it('refuses a second decision after a revision request', async () => {
		const review = await freshReview();
		await requestRevision(world.a.contact, review.versionId, 'Change it');

		await expect(requestRevision(world.a.contact, review.versionId, 'Again')).rejects.toMatchObject(
			refusal(ALREADY_REVIEWED)
		);
	});
});

describe('review_decisions table', () => {
	const actors = () => [world.producer, world.a.contact];

	it('refuses direct inserts by contacts and producers (42501)', async () => {
		const review = await freshReview();

		for (const actor of actors()) {
			await expect(
				db.withUser(
					actor.claims,
					(tx) => tx`
						insert into public.review_decisions (org_id, client_id, deliverable_id, version_id,
							contact_id, decided_by, decision)
						values (${world.orgId}, ${world.a.id}, ${review.deliverableId}, ${review.versionId},
							${world.a.contact.contactId}, ${actor.userId}, 'approved')
					`
				)
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('refuses updates and deletes by contacts and producers (42501)', async () => {
		const id = world.a.decided.decisionId;

		for (const actor of actors()) {
			await expect(
				db.withUser(
					actor.claims,
					(tx) => tx`update public.review_decisions set note = 'edited' where id = ${id}`
				)
			).rejects.toMatchObject({ code: '42501' });
			await expect(
				db.withUser(actor.claims, (tx) => tx`delete from public.review_decisions where id = ${id}`)
			).rejects.toMatchObject({ code: '42501' });
		}
	});

	it('lets service_role correct a decision', async () => {
		const review = await freshReview();
		const decision = await approve(world.a.contact, review.versionId);

		const rows = await db.withService(
			(tx) => tx`
				update public.review_decisions set note = 'Corrected' where id = ${decision.id}
				returning id
			`
		);

		expect(rows).toHaveLength(1);
	});
});
