/**
 * After seeding, the media the seed's deliverable versions point at (ARCHITECTURE.md, the
 * local stack): each `deliverable_versions.storage_path` without an object in bucket
 * `deliverables` gets `supabase/seed-media/<basename>`, uploaded through the stack's own
 * Storage API with the service key, as a real project's seed script would.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from 'postgres';

const seedMediaDir = fileURLToPath(new URL('../seed-media/', import.meta.url));

export async function uploadSeedMedia(sql: Sql, apiUrl: string, serviceRoleKey: string) {
	const [table] = await sql`select to_regclass('public.deliverable_versions') as oid`;
	if (!table.oid) {
		return;
	}

	const missing = await sql<{ storage_path: string; mime_type: string }[]>`
		select distinct v.storage_path, v.mime_type
		from public.deliverable_versions v
		where not exists (
			select 1 from storage.objects o
			where o.bucket_id = 'deliverables' and o.name = v.storage_path
		)
	`;

	for (const { storage_path: path, mime_type: mimeType } of missing) {
		const file = join(seedMediaDir, basename(path));
		const bytes = await readFile(file).catch(() => {
			throw new Error(`Seed media missing: supabase/seed-media/${basename(path)} (for ${path})`);
		});

		const response = await fetch(`${apiUrl}/storage/v1/object/deliverables/${path}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${serviceRoleKey}`,
				'content-type': mimeType,
				'x-upsert': 'true'
			},
			body: bytes
		});
		if (!response.ok) {
			throw new Error(`Uploading seed media ${path} failed: ${await response.text()}`);
		}
	}
}
