/**
 * Writes to the `deliverables` bucket, as the Storage API runs them (as the caller, under the
 * storage.objects policies): producers manage their org's prefix, nobody else writes.
 * What each actor may read is in visibility.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import {
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

function upload(actor: Actor, name: string) {
	return db.withUser(
		actor.claims,
		(tx) => tx<{ name: string }[]>`
			insert into storage.objects (bucket_id, name, owner_id)
			values ('deliverables', ${name}, ${actor.userId})
			returning name
		`
	);
}

/** Storage refuses plain deletes; its API flags its own, as this does. */
async function remove(tx: Tx, name: string) {
	await tx`select set_config('storage.allow_delete_query', 'true', true)`;
	return tx`delete from storage.objects where bucket_id = 'deliverables' and name = ${name}
		returning name`;
}

const pathIn = (orgId: string) => `${orgId}/${randomUUID()}/${randomUUID()}/cut.wav`;

describe('deliverable uploads', () => {
	it("lets a producer upload under their org's prefix", async () => {
		const name = pathIn(world.orgId);

		expect(await upload(world.producer, name)).toEqual([{ name }]);
	});

	it("refuses a producer an upload under another org's prefix (42501)", async () => {
		await expect(upload(outsider.producer, pathIn(world.orgId))).rejects.toMatchObject({
			code: '42501'
		});
	});

	it('refuses a contact any upload, even next to their own files (42501)', async () => {
		await expect(upload(world.a.contact, pathIn(world.orgId))).rejects.toMatchObject({
			code: '42501'
		});
	});

	it('refuses a name whose first folder is not an org id (42501)', async () => {
		await expect(upload(world.producer, 'loose.wav')).rejects.toMatchObject({ code: '42501' });
	});
});

describe('deliverable deletes', () => {
	it("lets a producer delete their org's file", async () => {
		const name = pathIn(world.orgId);
		await upload(world.producer, name);

		expect(await db.withUser(world.producer.claims, (tx) => remove(tx, name))).toHaveLength(1);
	});

	it('deletes nothing for a contact or another studio (filtered, no rows)', async () => {
		const name = world.a.objects[world.a.review.versionId];

		for (const actor of [world.a.contact, outsider.producer]) {
			expect(await db.withUser(actor.claims, (tx) => remove(tx, name))).toHaveLength(0);
		}
		expect(
			await admin`select 1 from storage.objects where bucket_id = 'deliverables' and name = ${name}`
		).toHaveLength(1);
	});
});
