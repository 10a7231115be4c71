/**
 * Cross-tenant property test. A seeded generator builds random studios and clients with a
 * unique marker in every text field and a known owner for every id (tests/support/tenants.ts);
 * then every generated contact reads every table an API role may read, calls every function
 * authenticated may execute, asks for every storage path and tries every realtime topic. No
 * marker or id of another client, and nothing internal, may ever come back.
 *
 * The seed is printed; `CROSS_TENANT_SEED=<seed> npx vitest run --project db cross-tenant`
 * replays a failure.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Tx } from '#lib/server/db.ts';
import { connect, sorted, type Sql } from '../support/actors.ts';
import { attempt } from '../support/attempt.ts';
import {
	generateTenants,
	prng,
	type GeneratedContact,
	type Random,
	type Tenants
} from '../support/tenants.ts';

const SEED = Number(process.env.CROSS_TENANT_SEED ?? Math.floor(Math.random() * 2 ** 32));
const MARKER = /mkr\d{6}z/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
/** Foreign ids each contact tries the actions on, besides all of their own. */
const FOREIGN_TRIES = 8;
const NOT_FOUND = ['Deliverable not found.', 'Comment not found.'];

let admin: Sql;
let db: Database;
let tenants: Tenants;
const contactRandom = new Map<string, Random>();
const cases: Record<string, number> = {};
const started = performance.now();

beforeAll(async () => {
	({ admin, db } = connect());
	console.info(`cross-tenant: seed ${SEED} (replay with CROSS_TENANT_SEED=${SEED})`);
	tenants = await generateTenants(admin, prng(SEED));
	await tagObjects();
});

afterAll(async () => {
	const total = Object.values(cases).reduce((sum, n) => sum + n, 0);
	const seconds = ((performance.now() - started) / 1000).toFixed(1);
	console.info(
		`cross-tenant: seed ${SEED}, ${tenants.contacts.length} contacts, ` +
			`${JSON.stringify(tenants.counts)}; ${total} cases ${JSON.stringify(cases)} in ${seconds} s`
	);
	await db.end();
	await admin.end();
});

/** storage.objects ids come from the database: an object is seen with its version. */
async function tagObjects() {
	const objects = await admin<{ id: string; name: string }[]>`
		select id, name from storage.objects where name = any (${tenants.allPaths})
	`;
	for (const object of objects) {
		const versionId = object.name.split('/')[2];
		tenants.ids.set(object.id, tenants.ids.get(versionId) ?? ['hidden']);
	}
}

function allowedScopes(contact: GeneratedContact): Set<string> {
	const self = `self:${contact.userId}`;
	if (contact.revoked) {
		return new Set([self]);
	}
	return new Set([
		self,
		`client:${contact.clientId}`,
		`org:${contact.orgId}`,
		`contact:${contact.contactId}`
	]);
}

/**
 * Every marker and known id in `text` must be the contact's to see. Team members' names pass
 * only where `teamNames` says the studio shows them (the label function); unknown ids (rows of
 * other test files, or of nobody) never pass.
 */
function leaks(contact: GeneratedContact, text: string, where: string, teamNames = false) {
	const allowed = allowedScopes(contact);
	if (teamNames && !contact.revoked && tenants.showTeamNames.get(contact.orgId)) {
		allowed.add(`team:${contact.orgId}`);
	}
	const found: string[] = [];

	for (const marker of text.match(MARKER) ?? []) {
		const scopes = tenants.markers.get(marker) ?? ['unknown'];
		if (!scopes.some((scope) => allowed.has(scope))) {
			found.push(`${where}: marker ${marker} (${scopes.join()})`);
		}
	}
	for (const id of text.match(UUID) ?? []) {
		const scopes = tenants.ids.get(id) ?? ['unknown'];
		if (!scopes.some((scope) => allowed.has(scope))) {
			found.push(`${where}: id ${id} (${scopes.join()})`);
		}
	}
	return found.map((leak) => `contact ${contact.contactId}: ${leak}`);
}

/** Runs `probe` for every contact, a few at a time, and gathers what leaked. */
async function forEveryContact(
	probe: (contact: GeneratedContact) => Promise<string[]>
): Promise<string[]> {
	const found: string[] = [];
	const queue = [...tenants.contacts];
	const workers = Array.from({ length: 4 }, async () => {
		for (let contact = queue.shift(); contact; contact = queue.shift()) {
			found.push(...(await probe(contact)));
		}
	});
	await Promise.all(workers);
	return found;
}

function count(kind: string, n: number) {
	cases[kind] = (cases[kind] ?? 0) + n;
}

function asText(tx: Tx, query: string, parameters: unknown[] = []) {
	return tx.unsafe<{ out: string | null }[]>(query, parameters as never[]);
}

describe(`cross-tenant isolation (seed ${SEED})`, () => {
	it('generates contacts of several clients in several studios, some revoked', () => {
		const orgs = new Set(tenants.contacts.map((c) => c.orgId));
		const clients = new Set(tenants.contacts.map((c) => c.clientId));

		expect(orgs.size).toBeGreaterThanOrEqual(3);
		expect(clients.size).toBeGreaterThanOrEqual(6);
		expect(tenants.counts.comments).toBeGreaterThan(0);
		expect(tenants.contacts.filter((c) => c.revoked).length).toBeGreaterThan(0);
		expect(new Set(tenants.showTeamNames.values())).toEqual(new Set([true, false]));
	});

	it('lets no contact read a foreign or internal row from any readable table', async () => {
		const tables = await admin<{ name: string }[]>`
			select format('%I.%I', n.nspname, c.relname) as name
			from pg_class c
			join pg_namespace n on n.oid = c.relnamespace
			where n.nspname in ('public', 'storage', 'realtime') and c.relkind in ('r', 'p', 'v', 'm')
				and has_table_privilege('authenticated', c.oid, 'select')
			order by 1
		`;
		expect(tables.map((t) => t.name)).toContain('public.comments');

		const found = await forEveryContact((contact) =>
			db.withUser(contact.claims, async (tx) => {
				const leaked: string[] = [];
				for (const { name } of tables) {
					const rows = await asText(tx, `select t::text as out from ${name} t`);
					leaked.push(...leaks(contact, rows.map((r) => r.out).join('\n'), name));
					if (name === 'public.clients') {
						// The sweep sees something at all: the contact's own client, and only it.
						expect(rows.length, `seed ${SEED}`).toBe(contact.revoked ? 0 : 1);
					}
				}
				count('table reads', tables.length);
				return leaked;
			})
		);

		expect(found, `seed ${SEED}`).toEqual([]);
	});

	it('lets no contact learn anything foreign or internal through a granted function', async () => {
		const functions = await admin<{ name: string; args: string; volatile: boolean }[]>`
			select format('%I.%I', n.nspname, p.proname) as name,
				oidvectortypes(p.proargtypes) as args, p.provolatile = 'v' as volatile
			from pg_proc p
			join pg_namespace n on n.oid = p.pronamespace
			where n.nspname in ('public', 'private')
				and has_function_privilege('authenticated', p.oid, 'execute')
			order by 1
		`;
		const unprobed = functions.filter((f) => !['', 'uuid', 'uuid, text'].includes(f.args));
		expect(unprobed, 'a granted function this test does not know how to call').toEqual([]);
		expect(functions.map((f) => f.name)).toContain('public.comment_author_label');

		const allIds = [...tenants.ids.keys()];
		const found = await forEveryContact(async (contact) => {
			const leaked: string[] = [];
			for (const fn of functions) {
				leaked.push(...(await probeFunction(contact, fn, allIds)));
			}
			return leaked;
		});

		expect(found, `seed ${SEED}`).toEqual([]);
	});

	it('lets every contact read exactly the files of their own submitted versions', async () => {
		const found = await forEveryContact(async (contact) => {
			const rows = await db.withUser(
				contact.claims,
				(tx) => tx<{ name: string }[]>`
					select name from storage.objects where name = any (${tenants.allPaths})
				`
			);
			count('storage paths', tenants.allPaths.length);

			const expected = contact.revoked ? [] : (tenants.visiblePaths.get(contact.clientId) ?? []);
			const seen = sorted(rows.map((row) => row.name));
			return JSON.stringify(seen) === JSON.stringify(sorted(expected))
				? []
				: [`contact ${contact.contactId}: storage saw ${seen.length}, expected ${expected.length}`];
		});

		expect(found, `seed ${SEED}`).toEqual([]);
	});

	it('lets a contact join only their own client and user topics', async () => {
		const found = await forEveryContact(async (contact) => {
			const other = randomFor(contact).pick(
				tenants.contacts.filter((c) => c.clientId !== contact.clientId)
			);
			const topics: [string, boolean][] = [
				[`client:${contact.clientId}`, !contact.revoked],
				[`user:${contact.userId}`, true],
				[`org:${contact.orgId}`, false],
				[`client:${other.clientId}`, false],
				[`org:${other.orgId}`, false],
				[`user:${other.userId}`, false]
			];
			const wrong: string[] = [];
			for (const [topic, allowed] of topics) {
				if ((await canJoin(contact, topic)) !== allowed) {
					wrong.push(`contact ${contact.contactId}: join ${topic} should be ${allowed}`);
				}
			}
			count('realtime joins', topics.length);
			return wrong;
		});

		expect(found, `seed ${SEED}`).toEqual([]);
	});

	it("broadcasts to a client's topic only what that client's contacts may see", async () => {
		const messages = await admin<{ topic: string; payload: string }[]>`
			select topic, payload::text as payload from realtime.messages
			where topic = any (${tenants.clientIds.map((id) => `client:${id}`)}) and event <> 'probe'
		`;
		const found: string[] = [];
		for (const message of messages) {
			const clientId = message.topic.slice('client:'.length);
			const reader = tenants.contacts.find((c) => c.clientId === clientId && !c.revoked);
			// The message id is the broadcast's own; every other id and all text must be theirs.
			const payload = JSON.parse(message.payload) as Record<string, string>;
			const { kind, ...ids } = payload;
			delete ids.id;
			expect(kind).toMatch(/^[a-z_]+(\.[a-z_]+)*$/);
			if (reader) {
				found.push(...leaks(reader, JSON.stringify(ids), message.topic));
			}
		}
		count('broadcasts', messages.length);

		expect(messages.length).toBeGreaterThan(0);
		expect(found, `seed ${SEED}`).toEqual([]);
	});
});

async function probeFunction(
	contact: GeneratedContact,
	fn: { name: string; args: string; volatile: boolean },
	allIds: string[]
): Promise<string[]> {
	if (fn.args === '') {
		const rows = await db.withUser(contact.claims, (tx) =>
			asText(tx, `select x::text as out from ${fn.name}() as x`)
		);
		count(fn.name, 1);
		return leaks(contact, rows.map((r) => r.out).join('\n'), fn.name, true);
	}

	if (!fn.volatile && fn.args === 'uuid') {
		const rows = await db.withUser(contact.claims, (tx) =>
			asText(tx, `select ${fn.name}(id)::text as out from unnest($1::uuid[]) as id`, [allIds])
		);
		count(fn.name, allIds.length);
		return leaks(contact, rows.map((r) => r.out).join('\n'), fn.name, true);
	}

	// Volatile (the review actions, deleting a comment): each call rolled back, on every
	// version and comment the contact can see and a few others. Anything not theirs must be
	// refused with the functions' own "not found" sentence, and nothing may leak either way.
	const own = tenants.actionTargets.filter((id) => isVisibleTo(contact, id));
	const foreign = tenants.actionTargets.filter((id) => !isVisibleTo(contact, id));
	const targets = [
		...own,
		...Array.from({ length: FOREIGN_TRIES }, () => randomFor(contact).pick(foreign))
	];
	const leaked: string[] = [];
	for (const target of targets) {
		const parameters = fn.args === 'uuid' ? [target] : [target, 'A probing note'];
		const placeholders = parameters.map((_, i) => `$${i + 1}`).join(', ');
		const outcome = await attempt(db, contact, (tx) =>
			asText(tx, `select x::text as out from ${fn.name}(${placeholders}) as x`, parameters)
		);
		// A decision made here is the contact's own new row: its id is the first field.
		const text =
			'rows' in outcome
				? outcome.rows.map((r) => String(r.out ?? '').replace(/^\([0-9a-f-]{36},/, '(')).join('\n')
				: outcome.message;
		leaked.push(...leaks(contact, text, `${fn.name}(${target})`));
		if (!own.includes(target) && !('code' in outcome && NOT_FOUND.includes(outcome.message))) {
			leaked.push(`contact ${contact.contactId}: ${fn.name} on a foreign id: ${text}`);
		}
	}
	count(fn.name, targets.length);
	return leaked;
}

/** Each contact's own sequence, so concurrent probes pick the same things on a replay. */
function randomFor(contact: GeneratedContact): Random {
	let picks = contactRandom.get(contact.contactId);
	if (!picks) {
		picks = prng(SEED + tenants.contacts.indexOf(contact) + 1);
		contactRandom.set(contact.contactId, picks);
	}
	return picks;
}

function isVisibleTo(contact: GeneratedContact, id: string) {
	return !contact.revoked && (tenants.ids.get(id) ?? []).includes(`client:${contact.clientId}`);
}

/** Realtime's join check, as realtime.test.ts does it: read a probe message on the topic. */
async function canJoin(contact: GeneratedContact, topic: string) {
	const [{ id }] = await admin<{ id: string }[]>`
		insert into realtime.messages (topic, extension, payload, event, private)
		values (${topic}, 'broadcast', '{}', 'probe', true)
		returning id
	`;
	const outcome = await attempt(db, contact, async (tx) => {
		await tx`select set_config('realtime.topic', ${topic}, true)`;
		return tx`select id from realtime.messages where id = ${id}`;
	});
	return 'rows' in outcome && outcome.rows.length === 1;
}
