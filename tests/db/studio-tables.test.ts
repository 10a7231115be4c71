/**
 * The studio-only tables (pipeline, workflow, costs, client notes) and the recipient-only
 * notifications: what each actor reads, as exact id sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '#lib/server/db.ts';
import { asAnon, connect, sorted, type Actor, type Sql } from '../support/actors.ts';
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

function readIds(actor: Actor, table: string) {
	return db.withUser(actor.claims, async (tx) => {
		const rows = await tx<{ id: string }[]>`select id from ${tx(`public.${table}`)}`;
		return rows.map((row) => row.id).sort();
	});
}

const STUDIO_ONLY = {
	pipeline_stages: (w: Workspace) => Object.values(w.stages),
	episode_workflow: (w: Workspace) => [w.workflowId],
	episode_costs: (w: Workspace) => [w.costId],
	client_notes: (w: Workspace) => [w.noteId]
};

describe.for(Object.keys(STUDIO_ONLY) as (keyof typeof STUDIO_ONLY)[])('%s', (table) => {
	it("shows every member exactly their studio's rows", async () => {
		for (const member of [ws.producer, ws.orgAdmin, ws.world.producer]) {
			expect(await readIds(member, table)).toEqual(sorted(STUDIO_ONLY[table](ws)));
		}
	});

	it('shows contacts and another studio nothing', async () => {
		const { a, b } = ws.world;

		for (const actor of [a.contact, a.fellow, b.contact, ws.revoked, ws.outsider.producer]) {
			expect(await readIds(actor, table)).toEqual([]);
		}
	});

	it('refuses anon by grant (42501)', async () => {
		await expect(
			asAnon(db, (tx) => tx`select id from ${tx(`public.${table}`)}`)
		).rejects.toMatchObject({ code: '42501' });
	});
});

describe('notifications', () => {
	it('shows each recipient exactly their own', async () => {
		expect(await readIds(ws.world.a.contact, 'notifications')).toEqual([ws.notifications.contact]);
		expect(await readIds(ws.producer, 'notifications')).toEqual([ws.notifications.producer]);
	});

	it('shows nobody else any, not even the studio owner', async () => {
		const { world } = ws;

		for (const actor of [world.producer, ws.orgAdmin, world.a.fellow, world.b.contact]) {
			expect(await readIds(actor, 'notifications')).toEqual([]);
		}
	});

	it('shows a revoked contact none of their own', async () => {
		expect(await readIds(ws.revoked, 'notifications')).toEqual([]);
	});
});
