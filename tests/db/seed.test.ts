/**
 * The demo seed is what the README, the end-to-end tests and the other workers rely on: fixed
 * ids, names and states, and for every version a real media file in supabase/seed-media/ whose
 * size, hash and duration the row records.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAdmin, type Sql } from '../support/actors.ts';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PRODUCER = ID(101);
const ORG = ID(201);
const CLEARWATER = ID(301);
const FIELD_NOTES = ID(302);
const MAYA = ID(401);
const JON = ID(402);

let admin: Sql;

beforeAll(() => {
	admin = connectAdmin();
});

afterAll(async () => {
	await admin.end();
});

interface Wav {
	format: number;
	channels: number;
	sampleRate: number;
	bitsPerSample: number;
	durationMs: number;
}

function parseWav(bytes: Buffer): Wav {
	expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
	expect(bytes.toString('ascii', 8, 12)).toBe('WAVE');

	let fmt: Omit<Wav, 'durationMs'> | undefined;
	let dataBytes = 0;
	for (let offset = 12; offset + 8 <= bytes.length;) {
		const id = bytes.toString('ascii', offset, offset + 4);
		const size = bytes.readUInt32LE(offset + 4);
		if (id === 'fmt ') {
			fmt = {
				format: bytes.readUInt16LE(offset + 8),
				channels: bytes.readUInt16LE(offset + 10),
				sampleRate: bytes.readUInt32LE(offset + 12),
				bitsPerSample: bytes.readUInt16LE(offset + 22)
			};
		} else if (id === 'data') {
			dataBytes = size;
		}
		offset += 8 + size + (size % 2);
	}

	if (!fmt) {
		throw new Error('WAV without a fmt chunk');
	}
	const bytesPerMs = (fmt.sampleRate * fmt.channels * fmt.bitsPerSample) / 8 / 1000;
	return { ...fmt, durationMs: Math.round(dataBytes / bytesPerMs) };
}

describe('the seed', () => {
	it('has the studio, its branding and its owner', async () => {
		const [org] = await admin`
			select o.name, o.slug, b.display_name, b.accent_color, b.show_team_names
			from public.orgs o join public.org_branding b on b.org_id = o.id
			where o.id = ${ORG}
		`;
		const members = await admin`
			select m.role, m.display_name, u.email, u.email_confirmed_at is not null as confirmed,
				(select count(*)::int from auth.identities i where i.user_id = u.id) as identities
			from public.org_members m join auth.users u on u.id = m.user_id
			where m.org_id = ${ORG}
		`;

		expect(org).toEqual({
			name: 'Northwind Audio',
			slug: 'northwind',
			display_name: 'Northwind Audio',
			accent_color: '#3b5bdb',
			show_team_names: false
		});
		expect(members).toEqual([
			{
				role: 'owner',
				display_name: 'Priya Shah',
				email: 'producer@northwind.example',
				confirmed: true,
				identities: 1
			}
		]);
		expect((await admin`select id from auth.users where id = ${PRODUCER}`).length).toBe(1);
	});

	it('has both clients with one not yet signed-in contact each', async () => {
		const contacts = await admin`
			select cl.id as client_id, cl.name as client, cc.id, cc.email::text, cc.full_name,
				cc.user_id, cc.revoked_at
			from public.client_contacts cc join public.clients cl on cl.id = cc.client_id
			where cl.org_id = ${ORG}
			order by cc.id
		`;

		expect(contacts).toEqual([
			{
				client_id: CLEARWATER,
				client: 'Clearwater Coffee',
				id: MAYA,
				email: 'maya@clearwater.example',
				full_name: 'Maya Lindqvist',
				user_id: null,
				revoked_at: null
			},
			{
				client_id: FIELD_NOTES,
				client: 'Field Notes Media',
				id: JON,
				email: 'jon@fieldnotes.example',
				full_name: 'Jon Okafor',
				user_id: null,
				revoked_at: null
			}
		]);
	});

	it('has the deliverables in the states the flow starts from', async () => {
		const rows = await admin`
			select d.id, d.client_id, s.title as show, e.number, e.title as episode, e.client_status,
				d.title, d.kind, d.status, v.number as version, v.submitted_at is not null as submitted,
				d.current_version_id = v.id as current
			from public.deliverables d
			join public.episodes e on e.id = d.episode_id
			join public.shows s on s.id = e.show_id
			join public.deliverable_versions v on v.deliverable_id = d.id
			where d.org_id = ${ORG}
			order by d.id
		`;

		expect(rows).toEqual([
			{
				id: ID(701),
				client_id: CLEARWATER,
				show: 'Morning Pour',
				number: 12,
				episode: 'Single-Origin Stories',
				client_status: 'ready_for_review',
				title: 'Episode 12 Final Mix',
				kind: 'final_mix',
				status: 'in_review',
				version: 1,
				submitted: true,
				current: true
			},
			{
				id: ID(702),
				client_id: CLEARWATER,
				show: 'Morning Pour',
				number: 13,
				episode: 'A Day at the Cupping Table',
				client_status: 'in_progress',
				title: 'Episode 13 Rough Cut',
				kind: 'rough_cut',
				status: 'draft',
				version: 1,
				submitted: false,
				current: null
			},
			{
				id: ID(703),
				client_id: FIELD_NOTES,
				show: 'Field Notes',
				number: 3,
				episode: 'Dawn on the Delta',
				client_status: 'ready_for_review',
				title: 'Episode 3 Rough Cut',
				kind: 'rough_cut',
				status: 'in_review',
				version: 1,
				submitted: true,
				current: true
			}
		]);
	});

	it('has a client comment and an internal comment by the producer on Episode 12', async () => {
		const comments = await admin`
			select id, visibility, author_member_id, at_ms from public.comments
			where deliverable_id = ${ID(701)} order by id
		`;

		expect(comments).toEqual([
			{ id: ID(901), visibility: 'client', author_member_id: ID(202), at_ms: 4000 },
			{ id: ID(902), visibility: 'internal', author_member_id: ID(202), at_ms: 38_000 }
		]);
	});

	it('points every version at a real PCM WAV of at least 30 s with matching metadata', async () => {
		const versions = await admin<
			{
				storage_path: string;
				file_name: string;
				size_bytes: string;
				sha256: string;
				duration_ms: number;
				mime_type: string;
			}[]
		>`
			select storage_path, file_name, size_bytes::text, sha256, duration_ms, mime_type
			from public.deliverable_versions where org_id = ${ORG}
		`;
		expect(versions).toHaveLength(3);

		for (const version of versions) {
			const bytes = await readFile(`supabase/seed-media/${basename(version.storage_path)}`);
			const wav = parseWav(bytes);

			expect(basename(version.storage_path)).toBe(version.file_name);
			expect(version.mime_type).toBe('audio/wav');
			expect(String(bytes.length)).toBe(version.size_bytes);
			expect(createHash('sha256').update(bytes).digest('hex')).toBe(version.sha256);
			expect(wav).toEqual({
				format: 1,
				channels: 1,
				sampleRate: 16_000,
				bitsPerSample: 16,
				durationMs: version.duration_ms
			});
			expect(wav.durationMs).toBeGreaterThanOrEqual(30_000);
		}
	});

	it('shows Maya, once signed in, Episode 12 for review and nothing of Field Notes', async () => {
		const seen = await asSignedInContact(MAYA, async (tx) => ({
			deliverables: (await tx`select title from public.deliverables`).map((r) => r.title),
			clients: (await tx`select name from public.clients`).map((r) => r.name),
			comments: (await tx`select id from public.comments`).map((r) => r.id)
		}));

		expect(seen).toEqual({
			deliverables: ['Episode 12 Final Mix'],
			clients: ['Clearwater Coffee'],
			comments: [ID(901)]
		});
	});

	it('shows Jon, once signed in, only Episode 3', async () => {
		const titles = await asSignedInContact(JON, async (tx) =>
			(await tx`select title from public.deliverables`).map((r) => r.title)
		);

		expect(titles).toEqual(['Episode 3 Rough Cut']);
	});
});

/**
 * Links the contact to a new auth user as first sign-in does, reads as them, and rolls it all
 * back: the seeded database stays as it was for the other test files.
 */
async function asSignedInContact<T>(contactId: string, read: (tx: Sql) => Promise<T>): Promise<T> {
	const rollback = new Error('rollback');
	let result: T | undefined;

	await admin
		.begin(async (tx) => {
			const [user] = await tx`
				insert into auth.users (id, aud, role, email)
				select gen_random_uuid(), 'authenticated', 'authenticated', email::text
				from public.client_contacts where id = ${contactId}
				returning id
			`;
			await tx`update public.client_contacts set user_id = ${user.id} where id = ${contactId}`;
			await tx`
				select set_config('role', 'authenticated', true),
					set_config('request.jwt.claims', ${JSON.stringify({ sub: user.id, role: 'authenticated' })}, true)
			`;
			result = await read(tx as unknown as Sql);
			throw rollback;
		})
		.catch((error: unknown) => {
			if (error !== rollback) {
				throw error;
			}
		});

	return result as T;
}
