/**
 * What each actor can read, table by table: a producer of the studio, a contact of client A, a
 * contact of client B, a producer of another studio, and anon. Every expectation is an exact
 * set of ids, so a row that leaks or goes missing fails the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import {
	asAnon,
	connect,
	createStudio,
	createWorld,
	sorted,
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

const TABLES = [
	'orgs',
	'org_members',
	'org_branding',
	'clients',
	'client_contacts',
	'shows',
	'episodes',
	'deliverables',
	'deliverable_versions',
	'comments',
	'review_decisions',
	'activity'
] as const;

type Table = (typeof TABLES)[number];

interface Expectation {
	/** The column read as the row's identity. */
	key: string;
	/** The column that names the row's org, to look for the studio's rows as an outsider. */
	org: string;
	producer: string[];
	contactA: string[];
	contactB: string[];
}

function expectations(w: World): Record<Table, Expectation> {
	const { a, b } = w;
	const both = (pick: (client: World['a']) => string[]) => [...pick(a), ...pick(b)];
	const seenComments = (c: World['a']) => [c.comments.team, c.comments.contact, c.comments.fellow];
	const allComments = (c: World['a']) => Object.values(c.comments);
	const versions = (c: World['a']) => [
		c.review.versionId,
		c.review.unsubmittedVersionId,
		c.draft.versionId,
		c.decided.versionId
	];

	return {
		orgs: { key: 'id', org: 'id', producer: [w.orgId], contactA: [], contactB: [] },
		org_members: {
			key: 'id',
			org: 'org_id',
			producer: [w.producer.memberId],
			contactA: [],
			contactB: []
		},
		org_branding: {
			key: 'org_id',
			org: 'org_id',
			producer: [w.orgId],
			contactA: [w.orgId],
			contactB: [w.orgId]
		},
		clients: {
			key: 'id',
			org: 'org_id',
			producer: [a.id, b.id],
			contactA: [a.id],
			contactB: [b.id]
		},
		client_contacts: {
			key: 'id',
			org: 'org_id',
			producer: both((c) => [c.contact.contactId, c.fellow.contactId]),
			contactA: [a.contact.contactId],
			contactB: [b.contact.contactId]
		},
		shows: {
			key: 'id',
			org: 'org_id',
			producer: [a.showId, b.showId],
			contactA: [a.showId],
			contactB: [b.showId]
		},
		episodes: {
			key: 'id',
			org: 'org_id',
			producer: [a.episodeId, b.episodeId],
			contactA: [a.episodeId],
			contactB: [b.episodeId]
		},
		deliverables: {
			key: 'id',
			org: 'org_id',
			producer: both((c) => [
				c.review.deliverableId,
				c.draft.deliverableId,
				c.decided.deliverableId
			]),
			contactA: [a.review.deliverableId, a.decided.deliverableId],
			contactB: [b.review.deliverableId, b.decided.deliverableId]
		},
		deliverable_versions: {
			key: 'id',
			org: 'org_id',
			producer: both(versions),
			contactA: [a.review.versionId, a.decided.versionId],
			contactB: [b.review.versionId, b.decided.versionId]
		},
		comments: {
			key: 'id',
			org: 'org_id',
			producer: both(allComments),
			contactA: seenComments(a),
			contactB: seenComments(b)
		},
		review_decisions: {
			key: 'id',
			org: 'org_id',
			producer: [a.decided.decisionId, b.decided.decisionId],
			contactA: [a.decided.decisionId],
			contactB: [b.decided.decisionId]
		},
		// The fixture's activity is the comments trigger's: one row per comment. A deleted
		// comment's event stays; events about unsubmitted or draft work never reach clients.
		activity: {
			key: 'comment_id',
			org: 'org_id',
			producer: both(allComments),
			contactA: [...seenComments(a), a.comments.deleted],
			contactB: [...seenComments(b), b.comments.deleted]
		}
	};
}

/**
 * Studio-only and recipient-only tables; their exact sets per actor are in studio-tables.test.ts
 * and their every operation in matrix.test.ts.
 */
const COVERED_ELSEWHERE = [
	'pipeline_stages',
	'episode_workflow',
	'episode_costs',
	'client_notes',
	'notifications'
];

/** Tables only service_role may touch: every other actor is refused by the missing grant. */
const SERVICE_ONLY = ['email_outbox', 'auth_link_requests'] as const;

const SERVICE_ROW: Record<(typeof SERVICE_ONLY)[number], Record<string, string>> = {
	email_outbox: { to_email: 'a@example.com', subject: 'Hello', html: '<p>Hi</p>', text: 'Hi' },
	auth_link_requests: { email: 'a@example.com', audience: 'portal' }
};

function readKeys(tx: Tx, table: string, key: string) {
	return tx<{ id: string }[]>`select ${tx(key)}::text as id from ${tx(`public.${table}`)}`.then(
		(rows) => rows.map((row) => row.id).sort()
	);
}

function readAs(actor: Actor, table: string, key: string) {
	return db.withUser(actor.claims, (tx) => readKeys(tx, table, key));
}

describe('table visibility', () => {
	it('covers every table in public', async () => {
		const tables = await admin<{ name: string }[]>`
			select c.relname as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname = 'public' and c.relkind in ('r', 'p')
		`;

		expect(tables.map((t) => t.name).sort()).toEqual(
			sorted([...TABLES, ...SERVICE_ONLY, ...COVERED_ELSEWHERE])
		);
	});

	describe.for(TABLES)('%s', (table) => {
		const expected = () => expectations(world)[table];

		it("shows a producer exactly their studio's rows", async () => {
			expect(await readAs(world.producer, table, expected().key)).toEqual(
				sorted(expected().producer)
			);
		});

		it('shows a contact of client A exactly what is theirs', async () => {
			expect(await readAs(world.a.contact, table, expected().key)).toEqual(
				sorted(expected().contactA)
			);
		});

		it('shows a contact of client B exactly what is theirs', async () => {
			expect(await readAs(world.b.contact, table, expected().key)).toEqual(
				sorted(expected().contactB)
			);
		});

		it('shows a producer of another studio none of these rows', async () => {
			const { key, org } = expected();
			const rows = await db.withUser(
				outsider.producer.claims,
				(tx) => tx`
					select ${tx(key)} from ${tx(`public.${table}`)} where ${tx(org)} = ${world.orgId}
				`
			);

			expect(rows).toHaveLength(0);
		});

		it('refuses anon by grant (42501)', async () => {
			await expect(asAnon(db, (tx) => readKeys(tx, table, expected().key))).rejects.toMatchObject({
				code: '42501'
			});
		});
	});

	describe.for(SERVICE_ONLY)('%s', (table) => {
		it('refuses producers, contacts and anon by grant (42501)', async () => {
			for (const actor of [world.producer, world.a.contact, world.b.contact]) {
				await expect(readAs(actor, table, 'id')).rejects.toMatchObject({ code: '42501' });
			}
			await expect(asAnon(db, (tx) => readKeys(tx, table, 'id'))).rejects.toMatchObject({
				code: '42501'
			});
		});

		it('is written and read back by service_role', async () => {
			const found = await db.withService(async (tx) => {
				const [row] = await tx<{ id: string }[]>`
					insert into ${tx(`public.${table}`)} ${tx(SERVICE_ROW[table])} returning id
				`;
				return readKeys(tx, table, 'id').then((keys) => keys.includes(row.id));
			});

			expect(found).toBe(true);
		});
	});

	it('shows a fellow contact of the same client the same work as the first', async () => {
		const tables = [
			'deliverables',
			'deliverable_versions',
			'comments',
			'review_decisions'
		] as const;

		for (const table of tables) {
			const { key } = expectations(world)[table];

			expect(await readAs(world.a.fellow, table, key)).toEqual(
				await readAs(world.a.contact, table, key)
			);
		}
	});
});

describe('deliverable files (storage.objects)', () => {
	function readObjects(tx: Tx) {
		return tx<{ id: string }[]>`
			select name as id from storage.objects where bucket_id = 'deliverables'
		`.then((rows) => rows.map((row) => row.id).sort());
	}

	it("shows a producer every object under their studio's prefix", async () => {
		const names = [
			...Object.values(world.a.objects),
			...Object.values(world.b.objects),
			world.looseObject
		];

		expect(await db.withUser(world.producer.claims, readObjects)).toEqual(sorted(names));
	});

	it('shows a contact only the files of submitted versions they can review', async () => {
		const { a } = world;

		expect(await db.withUser(a.contact.claims, readObjects)).toEqual(
			sorted([a.objects[a.review.versionId], a.objects[a.decided.versionId]])
		);
	});

	it("shows a contact of client B only client B's files", async () => {
		const { b } = world;

		expect(await db.withUser(b.contact.claims, readObjects)).toEqual(
			sorted([b.objects[b.review.versionId], b.objects[b.decided.versionId]])
		);
	});

	it("shows a producer of another studio none of this studio's files", async () => {
		const names = await db.withUser(outsider.producer.claims, readObjects);

		expect(names).toEqual([outsider.looseObject]);
	});

	it('shows anon no objects (no policy applies to anon)', async () => {
		expect(await asAnon(db, readObjects)).toEqual([]);
	});
});
