/**
 * Object writes, reads and deletes (SUPABASE_WIRE.md §B.2, §B.3). Writes run as the caller so
 * INSERT (and for upserts UPDATE) policies decide; the service key's role bypasses RLS.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import type { ISql, Sql } from 'postgres';
import { objectFilePath, serveObject } from './object-files.ts';
import { assertMimeTypeAllowed, isUuid, loadBucket } from './storage-buckets.ts';
import { asCaller, type Caller } from './storage-caller.ts';
import { invalidKey, invalidRequest, noSuchKey } from './storage-errors.ts';
import { receiveUpload } from './upload-body.ts';

export interface StorageContext {
	sql: Sql;
	dataDir: string;
	/** Lifetime of signed upload URLs: 2 h like the hosted platform (§B.2). */
	signedUploadExpirySeconds: number;
}

interface ObjectRow {
	id: string;
	bucket_id: string;
	name: string;
	metadata: { size?: number; mimetype?: string; eTag?: string; cacheControl?: string } | null;
	updated_at: Date;
}

// Object names Storage accepts (§B.1).
const OBJECT_KEY = /^[A-Za-z0-9_/!.*'() &$=@;:+,?-]+$/;
const DEFAULT_SIZE_LIMIT_BYTES = 5 * 2 ** 30;

export function assertValidKey(name: string) {
	if (!OBJECT_KEY.test(name) || name.split('/').some((segment) => segment === '')) {
		throw invalidKey(name);
	}
}

/** Receives the body and stores it as `name` in the bucket; returns the object's id. */
export async function storeUpload(
	ctx: StorageContext,
	req: IncomingMessage,
	target: { caller: Caller; bucketId: string; name: string; upsert: boolean; owner: string | null }
): Promise<string> {
	assertValidKey(target.name);
	const bucket = await loadBucket(ctx.sql, target.bucketId);
	const upload = await receiveUpload(req, {
		tempDir: join(ctx.dataDir, 'storage', 'incoming'),
		limitBytes: bucket.file_size_limit ?? DEFAULT_SIZE_LIMIT_BYTES
	});

	try {
		assertMimeTypeAllowed(bucket, upload.mimeType);
		const metadata = {
			eTag: `"${upload.md5}"`,
			size: upload.size,
			mimetype: upload.mimeType,
			cacheControl: upload.cacheControl,
			lastModified: new Date().toISOString(),
			contentLength: upload.size,
			httpStatusCode: 200
		};
		const owner = target.owner && isUuid(target.owner) ? target.owner : null;
		const filePath = objectFilePath(ctx.dataDir, bucket.id, target.name);
		const operation = target.upsert ? 'storage.object.upload_upsert' : 'storage.object.upload';

		await asCaller(ctx.sql, target.caller, operation, async (tx) => {
			// No RETURNING: it would also demand a SELECT policy, which Storage does not.
			if (target.upsert) {
				await tx`
					insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
					values (${randomUUID()}, ${bucket.id}, ${target.name}, ${owner}, ${target.owner},
						${tx.json(metadata)}::jsonb, ${tx.json(upload.userMetadata)}::jsonb, ${randomUUID()})
					on conflict (bucket_id, name) do update
					set owner = excluded.owner, owner_id = excluded.owner_id, metadata = excluded.metadata,
						user_metadata = excluded.user_metadata, version = excluded.version,
						updated_at = now(), last_accessed_at = now()
				`;
			} else {
				await tx`
					insert into storage.objects (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
					values (${randomUUID()}, ${bucket.id}, ${target.name}, ${owner}, ${target.owner},
						${tx.json(metadata)}::jsonb, ${tx.json(upload.userMetadata)}::jsonb, ${randomUUID()})
				`;
			}
			// Inside the transaction, so a refused or failed write never leaves a file behind.
			await mkdir(dirname(filePath), { recursive: true });
			await rename(upload.tempPath, filePath);
		});

		const [row] = await ctx.sql<{ id: string }[]>`
			select id from storage.objects where bucket_id = ${bucket.id} and name = ${target.name}
		`;
		return row.id;
	} finally {
		await upload.discard();
	}
}

/** The object row if the caller may read it: RLS for private buckets, anyone for public ones. */
export async function findReadableObject(
	ctx: StorageContext,
	caller: Caller | null,
	bucketId: string,
	name: string
): Promise<ObjectRow> {
	const bucket = await loadBucket(ctx.sql, bucketId);
	const query = (db: ISql) => db<ObjectRow[]>`
		select id, bucket_id, name, metadata, updated_at
		from storage.objects
		where bucket_id = ${bucketId} and name = ${name}
	`;
	const [row] =
		caller && !bucket.public
			? await asCaller(ctx.sql, caller, 'storage.object.get', query)
			: await query(ctx.sql);
	if (!row) {
		throw noSuchKey();
	}
	return row;
}

export function sendObject(
	ctx: StorageContext,
	req: IncomingMessage,
	res: ServerResponse,
	row: ObjectRow,
	headers: Record<string, string>
) {
	const size = row.metadata?.size ?? 0;
	serveObject(req, res, {
		filePath: objectFilePath(ctx.dataDir, row.bucket_id, row.name),
		size,
		mimeType: row.metadata?.mimetype ?? 'application/octet-stream',
		eTag: row.metadata?.eTag ?? `"${row.id}"`,
		lastModified: row.updated_at,
		headers
	});
}

/** `remove(paths)`: exact names despite the field's name; refused rows are silently skipped. */
export async function removeObjects(
	ctx: StorageContext,
	caller: Caller,
	bucketId: string,
	body: Record<string, unknown>
) {
	const names = body.prefixes;
	if (
		!Array.isArray(names) ||
		names.length === 0 ||
		names.length > 1000 ||
		!names.every((name) => typeof name === 'string')
	) {
		throw invalidRequest('body/prefixes must be an array of 1 to 1000 object names');
	}

	const rows = await asCaller(
		ctx.sql,
		caller,
		'storage.object.delete_many',
		(tx) => tx`
		delete from storage.objects
		where bucket_id = ${bucketId} and name = any (${names}::text[])
		returning *
	`
	);
	await Promise.all(
		rows.map((row) =>
			rm(objectFilePath(ctx.dataDir, bucketId, row.name as string), { force: true })
		)
	);
	return rows;
}

/** `Content-Disposition` for `?download=` (§B.2); an empty value means "attachment" only. */
export function downloadHeaders(download: string | null): Record<string, string> {
	if (download === null) {
		return {};
	}
	if (download === '') {
		return { 'Content-Disposition': 'attachment;' };
	}
	const encoded = encodeURIComponent(download);
	return { 'Content-Disposition': `attachment; filename=${encoded}; filename*=UTF-8''${encoded}` };
}
