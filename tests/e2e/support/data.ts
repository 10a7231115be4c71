import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import postgres from 'postgres';

/** Ids from supabase/seed.sql that tests build their own data under. */
export const seed = {
	orgId: '00000000-0000-4000-8000-000000000201',
	producerUserId: '00000000-0000-4000-8000-000000000101',
	producerEmail: 'producer@northwind.example',
	clearwater: {
		clientId: '00000000-0000-4000-8000-000000000301',
		episodeId: '00000000-0000-4000-8000-000000000601'
	},
	fieldNotes: {
		clientId: '00000000-0000-4000-8000-000000000302',
		deliverableId: '00000000-0000-4000-8000-000000000703'
	},
	maya: 'maya@clearwater.example',
	episode12FinalMix: '00000000-0000-4000-8000-000000000701'
};

function superuser() {
	const url = process.env.E2E_SUPERUSER_URL;
	if (!url) {
		throw new Error('E2E_SUPERUSER_URL is not set; the global setup starts the stack');
	}
	return postgres(url, { max: 1, onnotice: () => {} });
}

async function withSuperuser<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = superuser();
	try {
		return await fn(sql);
	} finally {
		await sql.end();
	}
}

/** A new contact of a seeded client, so a test's sign-ins and rate limits are its own. */
export async function createContact(clientId = seed.clearwater.clientId): Promise<string> {
	const email = `e2e-${randomUUID().slice(0, 8)}@clearwater.example`;
	await withSuperuser(
		(sql) => sql`
			insert into public.client_contacts (org_id, client_id, email, full_name, invited_at)
			values (${seed.orgId}, ${clientId}, ${email}, 'Test Contact', now())`
	);
	return email;
}

/**
 * A deliverable in review with a real audio file, under a seeded Clearwater episode: what the
 * studio does when it shares a mix, done directly so each test owns its deliverable.
 */
export async function createDeliverableInReview(title: string): Promise<string> {
	const deliverableId = randomUUID();
	const versionId = randomUUID();
	const fileName = 'review-mix.wav';
	const storagePath = `${seed.orgId}/${deliverableId}/${versionId}/${fileName}`;
	const audio = await readFile('supabase/seed-media/episode-12-final-mix.wav');

	await uploadObject(storagePath, audio, 'audio/wav');
	await withSuperuser((sql) =>
		sql.begin(async (tx) => {
			await tx`
				insert into public.deliverables (id, org_id, client_id, episode_id, kind, title, status)
				values (${deliverableId}, ${seed.orgId}, ${seed.clearwater.clientId},
					${seed.clearwater.episodeId}, 'final_mix', ${title}, 'in_review')`;
			await tx`
				insert into public.deliverable_versions (id, org_id, client_id, deliverable_id, number,
					storage_path, file_name, mime_type, size_bytes, uploaded_by, submitted_at)
				values (${versionId}, ${seed.orgId}, ${seed.clearwater.clientId}, ${deliverableId}, 1,
					${storagePath}, ${fileName}, 'audio/wav', ${audio.length}, ${seed.producerUserId}, now())`;
			await tx`
				update public.deliverables set current_version_id = ${versionId}
				where id = ${deliverableId}`;
		})
	);
	return deliverableId;
}

async function uploadObject(path: string, body: Buffer, contentType: string): Promise<void> {
	const { PUBLIC_SUPABASE_URL: apiUrl, SUPABASE_SERVICE_ROLE_KEY: key } = process.env;
	const response = await fetch(`${apiUrl}/storage/v1/object/deliverables/${path}`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${key}`, apikey: key!, 'Content-Type': contentType },
		body: new Uint8Array(body)
	});
	if (!response.ok) {
		throw new Error(`upload failed: ${response.status} ${await response.text()}`);
	}
}

/** Makes the newest sign-in link of this address older than its lifetime. */
export async function expireLinksOf(email: string): Promise<void> {
	await withSuperuser(
		(sql) => sql`
			update auth.users set recovery_sent_at = now() - interval '1 day',
				confirmation_sent_at = now() - interval '1 day'
			where lower(email) = lower(${email})`
	);
}

/** What the worker decided for each sign-in request of this address, oldest first. */
export async function linkOutcomes(email: string): Promise<(string | null)[]> {
	const rows = await withSuperuser(
		(sql) => sql<{ outcome: string | null }[]>`
			select outcome from public.auth_link_requests
			where email = ${email} order by requested_at, id`
	);
	return rows.map((row) => row.outcome);
}
