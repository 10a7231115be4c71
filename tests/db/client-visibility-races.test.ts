/**
 * The client_visible flags under concurrent writes. Two transactions each computing a flag from
 * the other's old row would leave it stale for good (a contact seeing a draft's version, or not
 * seeing a deliverable in review), so the flag triggers lock the parent row and the second
 * write waits for the first (20261204500100).
 *
 * Each case opens the first write's transaction and leaves it uncommitted, starts the second
 * write on another connection, and lets the first commit once the second is waiting for a lock
 * (or has finished, if nothing makes it wait: then the flags must be right all the same).
 */
import { randomUUID } from 'node:crypto';
import type { ISql } from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { addClientComment } from '#lib/server/reviews.ts';
import { connect, connectAdmin, createWorld, type Sql, type World } from '../support/actors.ts';
import { seenOf, staleFlags } from '../support/visibility.ts';

let admin: Sql;
let racers: Sql;
let db: Database;
let world: World;

beforeAll(async () => {
	({ admin, db } = connect());
	racers = connectAdmin();
	world = await createWorld(admin);
});

afterAll(async () => {
	await db.end();
	await racers.end();
	await admin.end();
});

/** A write, on any connection: a reserved one, or a transaction's. */
type Write = (tx: ISql) => Promise<unknown>;

/** Runs `first` and `second` in two transactions, `second` starting while `first` is open. */
async function race(first: Write, second: Write): Promise<'waited' | 'ran through'> {
	const [a, b] = await Promise.all([racers.reserve(), racers.reserve()]);
	try {
		await a`begin`;
		await first(a);

		await b`begin`;
		await b`set local lock_timeout = '10s'`;
		const [{ pid }] = await b<{ pid: number }[]>`select pg_backend_pid() as pid`;
		const secondWrite = second(b);
		const outcome = await waitingOrDone(
			secondWrite,
			() => admin`select 1 from pg_stat_activity where pid = ${pid} and wait_event_type = 'Lock'`
		);

		await a`commit`;
		await secondWrite;
		await b`commit`;
		return outcome;
	} finally {
		a.release();
		b.release();
	}
}

/**
 * Resolves once `write` has finished or `waiting` (a query on pg_stat_activity) finds its
 * backend waiting for a lock. Bounded.
 */
async function waitingOrDone(
	write: Promise<unknown>,
	waiting: () => PromiseLike<readonly unknown[]>
) {
	let done = false;
	write.then(
		() => (done = true),
		() => (done = true)
	);
	const deadline = Date.now() + 10_000;
	while (!done && Date.now() < deadline) {
		if ((await waiting()).length > 0) {
			return 'waited';
		}
	}
	if (!done) {
		throw new Error(`the write neither finished nor waited for a lock in 10 s`);
	}
	return 'ran through';
}

/** How many of one deliverable's rows have a flag that disagrees with its rule. */
async function staleFlagsOf(deliverableId: string) {
	const stale = await staleFlags(admin, deliverableId);
	return stale.deliverables + stale.versions + stale.comments;
}

/** What client a's contact sees of the deliverable. */
const seen = (deliverableId: string) => seenOf(db, world.a.contact.claims, deliverableId);

async function deliverable(status: 'draft' | 'in_review') {
	const id = randomUUID();
	await admin`
		insert into public.deliverables (id, org_id, client_id, episode_id, kind, title, status)
		values (${id}, ${world.orgId}, ${world.a.id}, ${world.a.episodeId}, 'final_mix',
			'Race mix', ${status})
	`;
	return id;
}

async function version(deliverableId: string, number: number, submitted: boolean) {
	const id = randomUUID();
	await admin`
		insert into public.deliverable_versions (id, org_id, client_id, deliverable_id, number,
			storage_path, file_name, mime_type, size_bytes, submitted_at)
		values (${id}, ${world.orgId}, ${world.a.id}, ${deliverableId}, ${number},
			${`${world.orgId}/${deliverableId}/${id}/take.wav`}, 'take.wav', 'audio/wav', 1000,
			${submitted ? new Date() : null})
	`;
	return id;
}

async function teamComment(versionId: string, visibility: 'client' | 'internal', deleted = false) {
	const [row] = await admin<{ id: string }[]>`
		insert into public.comments (version_id, author_user_id, author_member_id, visibility,
			body, deleted_at)
		values (${versionId}, ${world.producer.userId}, ${world.producer.memberId}, ${visibility},
			'Race note', ${deleted ? new Date() : null})
		returning id
	`;
	return row.id;
}

const toStatus = (id: string, status: string) => (tx: ISql) =>
	tx`update public.deliverables set status = ${status}::public.deliverable_status where id = ${id}`;

const NOTHING = { deliverables: 0, versions: 0, comments: 0 };

describe('client_visible under concurrent writes', () => {
	it('hides a version submitted while its deliverable goes back to draft', async () => {
		const d = await deliverable('in_review');
		await version(d, 1, true);
		const late = await version(d, 2, false);
		await teamComment(late, 'client');

		const submit = (tx: ISql) =>
			tx`update public.deliverable_versions set submitted_at = now() where id = ${late}`;
		await race(submit, toStatus(d, 'draft'));

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('hides a version submitted just after its deliverable went back to draft', async () => {
		const d = await deliverable('in_review');
		await version(d, 1, true);
		const late = await version(d, 2, false);

		const submit = (tx: ISql) =>
			tx`update public.deliverable_versions set submitted_at = now() where id = ${late}`;
		await race(toStatus(d, 'draft'), submit);

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it("hides a contact's comment written while the deliverable goes back to draft", async () => {
		const d = await deliverable('in_review');
		const v = await version(d, 1, true);

		const write = (tx: ISql) => tx`
			insert into public.comments (version_id, author_user_id, author_contact_id, visibility, body)
			values (${v}, ${world.a.contact.userId}, ${world.a.contact.contactId}, 'client', 'Mine')
		`;
		await race(write, toStatus(d, 'draft'));

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it.each([
		['made client-visible', "visibility = 'client'", 'internal', false],
		['restored after deletion', 'deleted_at = null', 'client', true]
	] as const)(
		'hides a comment %s while the deliverable goes back to draft',
		async (_, change, visibility, deleted) => {
			const d = await deliverable('in_review');
			const v = await version(d, 1, true);
			const comment = await teamComment(v, visibility, deleted);

			const edit = (tx: ISql) =>
				tx.unsafe(`update public.comments set ${change} where id = $1`, [comment]);
			await race(edit, toStatus(d, 'draft'));

			expect(await seen(d)).toEqual(NOTHING);
			expect(await staleFlagsOf(d)).toBe(0);
		}
	);

	it('keeps a deliverable hidden whose only submitted version is deleted as it leaves draft', async () => {
		const d = await deliverable('draft');
		const only = await version(d, 1, true);

		const remove = (tx: ISql) => tx`delete from public.deliverable_versions where id = ${only}`;
		await race(remove, toStatus(d, 'in_review'));

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('shows a deliverable that leaves draft while its version is being submitted', async () => {
		const d = await deliverable('draft');
		const v = await version(d, 1, false);
		await teamComment(v, 'client');

		const submit = (tx: ISql) =>
			tx`update public.deliverable_versions set submitted_at = now() where id = ${v}`;
		await race(submit, toStatus(d, 'in_review'));

		expect(await seen(d)).toEqual({ deliverables: 1, versions: 1, comments: 1 });
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('deletes a comment and moves its deliverable to draft at once without a deadlock', async () => {
		const d = await deliverable('in_review');
		const v = await version(d, 1, true);
		const comment = await teamComment(v, 'client');

		const remove = (tx: ISql) =>
			tx`update public.comments set deleted_at = now() where id = ${comment}`;
		expect(await race(remove, toStatus(d, 'draft'))).toBe('waited');

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('deletes one of several versions as its deliverable goes to draft without a deadlock', async () => {
		const d = await deliverable('in_review');
		await version(d, 1, true);
		const second = await version(d, 2, true);
		await teamComment(second, 'client');

		const remove = (tx: ISql) => tx`delete from public.deliverable_versions where id = ${second}`;
		expect(await race(remove, toStatus(d, 'draft'))).toBe('waited');

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('hides a deliverable whose two submitted versions are deleted at once', async () => {
		const d = await deliverable('in_review');
		const first = await version(d, 1, true);
		const second = await version(d, 2, true);

		const remove = (id: string) => (tx: ISql) =>
			tx`delete from public.deliverable_versions where id = ${id}`;
		expect(await race(remove(first), remove(second))).toBe('waited');

		expect(await seen(d)).toEqual(NOTHING);
		expect(await staleFlagsOf(d)).toBe(0);
	});

	it('shows a deliverable whose one submitted version is deleted as another is submitted', async () => {
		const d = await deliverable('in_review');
		const old = await version(d, 1, true);
		const next = await version(d, 2, false);
		await teamComment(next, 'client');

		const remove = (tx: ISql) => tx`delete from public.deliverable_versions where id = ${old}`;
		const submit = (tx: ISql) =>
			tx`update public.deliverable_versions set submitted_at = now() where id = ${next}`;
		expect(await race(remove, submit)).toBe('waited');
		expect(await staleFlagsOf(d)).toBe(0);
		expect(await seen(d)).toEqual({ deliverables: 1, versions: 1, comments: 1 });
	});

	it('refuses to change a deliverable at repeatable read, where a cascade could miss rows', async () => {
		const d = await deliverable('in_review');
		await expect(
			admin.begin('isolation level repeatable read', (tx) => toStatus(d, 'draft')(tx))
		).rejects.toMatchObject({ code: '0A000' });
	});

	it("keeps a contact's comment sent through the portal as the deliverable goes to draft", async () => {
		const d = await deliverable('in_review');
		const v = await version(d, 1, true);
		const body = `Sent as it closed ${randomUUID()}`;

		const studio = await racers.reserve();
		try {
			await studio`begin`;
			await toStatus(d, 'draft')(studio);
			const adding = db.withUser(world.a.contact.claims, (tx) =>
				addClientComment(tx, { deliverableId: d, versionId: v, body, atMs: 1000 })
			);
			// The portal's insert waits for the version the status change is rewriting.
			const waitedFor = await waitingOrDone(
				adding,
				() => admin`
					select 1 from pg_stat_activity
					where wait_event_type = 'Lock' and query like '%insert into public.comments%'
				`
			);
			expect(waitedFor).toBe('waited');
			await studio`commit`;

			expect(await adding).toBe(true);
		} finally {
			studio.release();
		}

		const [stored] = await admin<{ client_visible: boolean }[]>`
			select client_visible from public.comments where body = ${body}
		`;
		expect(stored).toEqual({ client_visible: false });
		expect(await seen(d)).toEqual(NOTHING);
	});

	it('lets comments on one version be written side by side', async () => {
		const d = await deliverable('in_review');
		const v = await version(d, 1, true);

		const write = (tx: ISql) => tx`
			insert into public.comments (version_id, author_user_id, author_member_id, visibility, body)
			values (${v}, ${world.producer.userId}, ${world.producer.memberId}, 'client', 'Side')
		`;
		expect(await race(write, write)).toBe('ran through');

		expect(await seen(d)).toEqual({ deliverables: 1, versions: 1, comments: 2 });
	});
});
