/**
 * Moving an episode through the studio's pipeline: the stage's mapping sets the client status,
 * and a change of client status, and only that, makes a client-visible activity row, worded
 * without stage names.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { connect, type Sql } from '../support/actors.ts';
import { createStage, createWorkspace, type Workspace } from '../support/workspace.ts';

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

/** A fresh episode of client A, in progress, placed in no stage yet. */
async function newEpisode(): Promise<string> {
	const id = randomUUID();
	const { world } = ws;
	await admin`
		insert into public.episodes (id, org_id, client_id, show_id, number, title)
		values (${id}, ${world.orgId}, ${world.a.id}, ${world.a.showId}, 40, 'Harvest')
	`;
	return id;
}

function place(episodeId: string, stageId: string) {
	const { world } = ws;
	return db.withUser(
		ws.producer.claims,
		(tx) => tx<{ id: string }[]>`
			insert into public.episode_workflow (org_id, client_id, episode_id, stage_id)
			values (${world.orgId}, ${world.a.id}, ${episodeId}, ${stageId})
			returning id
		`
	);
}

function move(episodeId: string, stageId: string) {
	return db.withUser(
		ws.producer.claims,
		(tx) => tx`
			update public.episode_workflow set stage_id = ${stageId} where episode_id = ${episodeId}
			returning id
		`
	);
}

async function episode(id: string) {
	const [row] = await admin<{ client_status: string; published_at: Date | null }[]>`
		select client_status, published_at from public.episodes where id = ${id}
	`;
	return row;
}

function activityOf(episodeId: string) {
	return admin<{ kind: string; summary: string; client_visible: boolean; actor: string }[]>`
		select kind, summary, client_visible, actor_user_id as actor from public.activity
		where episode_id = ${episodeId} order by created_at
	`;
}

describe('moving an episode through the pipeline', () => {
	it("sets the episode's client status from the stage it enters", async () => {
		const id = await newEpisode();
		await place(id, ws.stages.review);

		expect((await episode(id)).client_status).toBe('ready_for_review');

		await move(id, ws.stages.unused);
		expect((await episode(id)).client_status).toBe('approved');
	});

	it('writes one client-visible activity row per change of client status, without stage names', async () => {
		const id = await newEpisode();
		await place(id, ws.stages.review);
		await move(id, ws.stages.unused);

		expect(await activityOf(id)).toEqual([
			{
				kind: 'episode.status_changed',
				summary: 'Episode 40: Harvest is now ready for review',
				client_visible: true,
				actor: ws.producer.userId
			},
			{
				kind: 'episode.status_changed',
				summary: 'Episode 40: Harvest is now approved',
				client_visible: true,
				actor: ws.producer.userId
			}
		]);
	});

	it('writes no activity for a move between stages of the same client status', async () => {
		const id = await newEpisode();
		const sameStatus = await createStage(admin, ws.world.orgId, 10, 'in_progress', 'Mastering');
		await place(id, ws.stages.editing);
		await move(id, sameStatus);

		expect((await episode(id)).client_status).toBe('in_progress');
		expect(await activityOf(id)).toEqual([]);
	});

	it('shows the status change to the client and the stage to nobody but the studio', async () => {
		const id = await newEpisode();
		await place(id, ws.stages.review);
		const { a } = ws.world;

		const seen = await db.withUser(
			a.contact.claims,
			(tx) => tx<{ summary: string }[]>`
				select summary from public.activity where episode_id = ${id}
			`
		);
		const stages = await db.withUser(
			a.contact.claims,
			(tx) => tx`select id from public.episode_workflow where episode_id = ${id}`
		);

		expect(seen).toEqual([{ summary: 'Episode 40: Harvest is now ready for review' }]);
		expect(stages).toEqual([]);
	});

	it('stamps published_at once when the episode reaches a published stage', async () => {
		const id = await newEpisode();
		const live = await createStage(admin, ws.world.orgId, 11, 'published', 'Live');
		await place(id, live);
		const first = (await episode(id)).published_at;
		await move(id, ws.stages.review);
		await move(id, live);

		expect(first).toBeInstanceOf(Date);
		expect((await episode(id)).published_at).toEqual(first);
	});

	it('moves the episodes of a stage when an admin remaps it', async () => {
		const id = await newEpisode();
		const stage = await createStage(admin, ws.world.orgId, 12, 'in_progress', 'Recording');
		await place(id, stage);

		const remapped = await db.withUser(
			ws.orgAdmin.claims,
			(tx) => tx`
				update public.pipeline_stages set client_status = 'ready_for_review' where id = ${stage}
				returning id
			`
		);

		expect(remapped).toHaveLength(1);
		expect((await episode(id)).client_status).toBe('ready_for_review');
		expect((await activityOf(id)).map((row) => row.summary)).toEqual([
			'Episode 40: Harvest is now ready for review'
		]);
	});

	it('refuses a stage of another studio (the composite key, 23503)', async () => {
		const id = await newEpisode();
		const foreign = await createStage(admin, ws.outsider.orgId, 0, 'approved');

		await expect(place(id, foreign)).rejects.toMatchObject({ code: '23503' });
		expect((await episode(id)).client_status).toBe('in_progress');
	});

	it('refuses to remove a stage an episode is in (23503)', async () => {
		await expect(
			db.withUser(
				ws.orgAdmin.claims,
				(tx) => tx`delete from public.pipeline_stages where id = ${ws.stages.review}`
			)
		).rejects.toMatchObject({ code: '23503' });
	});
});
