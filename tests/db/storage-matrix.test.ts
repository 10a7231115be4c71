/**
 * The permission matrix of storage.objects for both buckets, as the Storage API runs requests
 * (as the caller, under the policies): reading an object by path (what signing a URL needs),
 * uploading one, deleting one. Each case is rolled back; outcomes as in matrix.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import { connect, type Actor, type Sql } from '../support/actors.ts';
import { assertOutcome, attempt, type Expect } from '../support/attempt.ts';
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

const ACTORS = [
	'anon',
	'producer',
	'other studio',
	'admin',
	'contact',
	'other client',
	'revoked'
] as const;
type ActorName = (typeof ACTORS)[number];
type Line = [Expect, Expect, Expect, Expect, Expect, Expect, Expect];
type Op = 'read' | 'upload' | 'delete';

interface Bucket {
	id: string;
	/** An existing object: read and delete target it. */
	object: () => string;
	/** A new object under the studio's prefix. */
	upload: () => string;
	expect: Record<Op, Line>;
}

const BUCKETS: Bucket[] = [
	{
		id: 'deliverables',
		object: () => ws.world.a.objects[ws.world.a.review.versionId],
		upload: () => `${ws.world.orgId}/${randomUUID()}/${randomUUID()}/cut.wav`,
		expect: {
			// anon holds the platform's grants on storage.objects but matches no policy.
			read: ['none', 'ok', 'none', 'ok', 'ok', 'none', 'none'],
			upload: ['check', 'ok', 'check', 'ok', 'check', 'check', 'check'],
			delete: ['none', 'ok', 'none', 'ok', 'none', 'none', 'none']
		}
	},
	{
		// Public: anyone fetches a logo by its public URL, which does not go through these
		// policies; listing, writing and deleting do.
		id: 'branding',
		object: () => ws.logoObject,
		upload: () => `${ws.world.orgId}/logo-${randomUUID()}.webp`,
		expect: {
			read: ['none', 'ok', 'none', 'ok', 'none', 'none', 'none'],
			upload: ['check', 'check', 'check', 'ok', 'check', 'check', 'check'],
			delete: ['none', 'none', 'none', 'ok', 'none', 'none', 'none']
		}
	}
];

function actor(name: ActorName): Actor | null {
	const actors: Record<ActorName, Actor | null> = {
		anon: null,
		producer: ws.producer,
		'other studio': ws.outsider.producer,
		admin: ws.orgAdmin,
		contact: ws.world.a.contact,
		'other client': ws.world.b.contact,
		revoked: ws.revoked
	};
	return actors[name];
}

/**
 * A refused upload runs without `returning`, so the insert policy alone must refuse it (with
 * `returning`, the select policy would refuse the new row too and hide a too-wide insert).
 */
function run(bucket: Bucket, op: Op, name: ActorName, path: string, refused = false) {
	return attempt(db, actor(name), async (tx: Tx) => {
		switch (op) {
			case 'read':
				return tx`
					select name from storage.objects where bucket_id = ${bucket.id} and name = ${path}
				`;
			case 'upload':
				if (refused) {
					await tx`
						insert into storage.objects (bucket_id, name, owner_id)
						values (${bucket.id}, ${path}, ${actor(name)?.userId ?? null})
					`;
					return [{ name: path }];
				}
				return tx`
					insert into storage.objects (bucket_id, name, owner_id)
					values (${bucket.id}, ${path}, ${actor(name)?.userId ?? null})
					returning name
				`;
			case 'delete':
				// Storage refuses plain deletes; its API flags its own, as this does.
				await tx`select set_config('storage.allow_delete_query', 'true', true)`;
				return tx`
					delete from storage.objects where bucket_id = ${bucket.id} and name = ${path}
					returning name
				`;
		}
	});
}

describe.for(BUCKETS.map((bucket) => [bucket.id, bucket] as const))('bucket %s', ([, bucket]) => {
	describe.for(['read', 'upload', 'delete'] as const)('%s', (op) => {
		it.for(ACTORS.map((name, i) => [name, bucket.expect[op][i]] as const))(
			'as %s: %s',
			async ([name, expected]) => {
				const path = op === 'upload' ? bucket.upload() : bucket.object();

				const outcome = await run(bucket, op, name, path, expected !== 'ok');

				assertOutcome(outcome, expected, { name: path });
			}
		);
	});
});

describe('the branding bucket', () => {
	it('is public and takes PNG, JPEG and WebP only, up to 2 MB', async () => {
		const [row] = await admin`
			select public, allowed_mime_types, file_size_limit from storage.buckets
			where id = 'branding'
		`;

		expect(row).toEqual({
			public: true,
			allowed_mime_types: ['image/png', 'image/jpeg', 'image/webp'],
			file_size_limit: '2097152'
		});
	});

	it('refuses an admin an SVG even under their own prefix (42501)', async () => {
		for (const name of ['logo.svg', 'logo.SVG', 'logo.png.svg', 'logo']) {
			const path = `${ws.world.orgId}/${name}`;
			const outcome = await run(BUCKETS[1], 'upload', 'admin', path, true);

			assertOutcome(outcome, 'check', {});
		}
	});

	it("refuses an admin an upload under another studio's prefix (42501)", async () => {
		const path = `${ws.outsider.orgId}/logo.png`;
		const outcome = await run(BUCKETS[1], 'upload', 'admin', path, true);

		assertOutcome(outcome, 'check', {});
	});

	it('lets an admin point the branding at a logo under their prefix only', async () => {
		const setLogo = (path: string) =>
			attempt(
				db,
				ws.orgAdmin,
				(tx) => tx`
					update public.org_branding set logo_path = ${path} where org_id = ${ws.world.orgId}
					returning logo_path
				`
			);

		assertOutcome(await setLogo(ws.logoObject), 'ok', { logo_path: ws.logoObject });
		expect(await setLogo(`${ws.outsider.orgId}/logo.png`)).toMatchObject({ code: '23514' });
		expect(await setLogo(`${ws.world.orgId}/logo.svg`)).toMatchObject({ code: '23514' });
	});
});
