/**
 * Buckets: read as superuser for limits (SUPABASE_WIRE.md §B.2, "read as superuser"), and the
 * small bucket API (`getBucket`, `listBuckets`, `createBucket`) as the caller under RLS.
 */
import type { Sql } from 'postgres';
import { z } from 'zod';
import { asCaller, type Caller } from './storage-caller.ts';
import { invalidMimeType, invalidRequest, noSuchBucket, StorageError } from './storage-errors.ts';

export interface Bucket {
	id: string;
	name: string;
	owner: string | null;
	public: boolean;
	file_size_limit: number | null;
	allowed_mime_types: string[] | null;
	created_at: Date;
	updated_at: Date;
}

const BUCKET_NAME = /^[A-Za-z0-9_!.*'() &$=@;:+,?-]{1,100}$/;
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i;
const SIZE_UNITS: Record<string, number> = {
	b: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	tb: 1e12,
	kib: 2 ** 10,
	mib: 2 ** 20,
	gib: 2 ** 30,
	tib: 2 ** 40
};

const createBucketBody = z.object({
	id: z.string().optional(),
	name: z.string(),
	public: z.boolean().optional(),
	file_size_limit: z.union([z.number().int().nonnegative(), z.string()]).nullable().optional(),
	allowed_mime_types: z.array(z.string()).nullable().optional()
});

export async function loadBucket(sql: Sql, id: string): Promise<Bucket> {
	const [bucket] = await sql<Bucket[]>`
		select id, name, owner, public, file_size_limit::float8 as file_size_limit,
			allowed_mime_types, created_at, updated_at
		from storage.buckets
		where id = ${id}
	`;
	if (!bucket) {
		throw noSuchBucket();
	}
	return bucket;
}

/** `allowed_mime_types` entries are exact types or `type/*` wildcards. */
export function assertMimeTypeAllowed(bucket: Bucket, mimeType: string) {
	const allowed = bucket.allowed_mime_types;
	if (!allowed || allowed.length === 0) {
		return;
	}
	const type = mimeType.split(';')[0].trim().toLowerCase();
	const ok = allowed.some((pattern) => {
		const wanted = pattern.trim().toLowerCase();
		return wanted.endsWith('/*') ? type.startsWith(wanted.slice(0, -1)) : type === wanted;
	});
	if (!ok) {
		throw invalidMimeType(mimeType);
	}
}

export async function getBucket(sql: Sql, caller: Caller, id: string) {
	const [bucket] = await asCaller(
		sql,
		caller,
		'storage.bucket.get',
		(tx) => tx`
		select * from storage.buckets where id = ${id}
	`
	);
	if (!bucket) {
		throw noSuchBucket();
	}
	return bucket;
}

export function listBuckets(sql: Sql, caller: Caller) {
	return asCaller(
		sql,
		caller,
		'storage.bucket.list',
		(tx) => tx`
		select * from storage.buckets order by name
	`
	);
}

export async function createBucket(sql: Sql, caller: Caller, raw: Record<string, unknown>) {
	const parsed = createBucketBody.safeParse(raw);
	if (!parsed.success) {
		throw invalidRequest(
			`body/${parsed.error.issues[0].path.join('/')}: ${parsed.error.issues[0].message}`
		);
	}
	const body = parsed.data;
	const id = body.id ?? body.name;
	if (!BUCKET_NAME.test(id)) {
		throw new StorageError(
			'400',
			'InvalidBucketName',
			'Invalid Input',
			`Bucket name invalid: ${id}`
		);
	}

	await asCaller(
		sql,
		caller,
		'storage.bucket.create',
		(tx) => tx`
		insert into storage.buckets (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
		values (
			${id}, ${id}, ${caller.sub && isUuid(caller.sub) ? caller.sub : null}, ${caller.sub},
			${body.public ?? false}, ${parseSize(body.file_size_limit)}, ${body.allowed_mime_types ?? null}
		)
	`
	);
	return { name: id };
}

function parseSize(value: number | string | null | undefined): number | null {
	if (value === null || value === undefined || typeof value === 'number') {
		return value ?? null;
	}
	const match = SIZE.exec(value.trim());
	if (!match) {
		throw invalidRequest(`file_size_limit: cannot read "${value}" as a size`);
	}
	return Math.floor(Number(match[1]) * SIZE_UNITS[(match[2] ?? 'b').toLowerCase()]);
}

export function isUuid(value: string) {
	return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}
