/**
 * Signed URLs (SUPABASE_WIRE.md §B.2). Signing checks the caller under RLS; using a signed URL
 * needs no headers at all (a `<audio src>` sends none), only the token, whose `url` claim
 * pins it to one object.
 */
import { errors as joseErrors, type JWTPayload } from 'jose';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { signUrlToken, verifyUrlToken } from './jwt.ts';
import { loadBucket } from './storage-buckets.ts';
import { asCaller, type Caller } from './storage-caller.ts';
import { invalidJwt, invalidRequest, noSuchKey, StorageError } from './storage-errors.ts';
import {
	assertValidKey,
	downloadHeaders,
	findReadableObject,
	sendObject,
	storeUpload,
	type StorageContext
} from './storage-objects.ts';

const SERVICE_CALLER: Caller = {
	role: 'service_role',
	claims: { role: 'service_role' },
	sub: null
};

export async function createSignedUrl(
	ctx: StorageContext,
	caller: Caller,
	bucketId: string,
	name: string,
	body: Record<string, unknown>
) {
	const expiresIn = readExpiresIn(body);
	if (body.transform !== undefined) {
		throw invalidRequest('Image transformations are not supported by the local stack');
	}

	await findReadableObject(ctx, caller, bucketId, name);
	const token = await signUrlToken({ url: `${bucketId}/${name}`, scope: 'download' }, expiresIn);
	// The raw path: storage-js applies encodeURI to the whole URL itself.
	return { signedURL: `/object/sign/${bucketId}/${name}?token=${token}` };
}

export async function createSignedUrls(
	ctx: StorageContext,
	caller: Caller,
	bucketId: string,
	body: Record<string, unknown>
) {
	const expiresIn = readExpiresIn(body);
	const paths = body.paths;
	if (!Array.isArray(paths) || paths.length > 1000 || !paths.every((p) => typeof p === 'string')) {
		throw invalidRequest('body/paths must be an array of at most 1000 object names');
	}

	await loadBucket(ctx.sql, bucketId);
	const visible = new Set(
		(
			await asCaller(
				ctx.sql,
				caller,
				'storage.object.sign',
				(tx) => tx<{ name: string }[]>`
				select name from storage.objects
				where bucket_id = ${bucketId} and name = any (${paths}::text[])
			`
			)
		).map((row) => row.name)
	);

	return Promise.all(
		paths.map(async (path: string) =>
			visible.has(path)
				? {
						error: null,
						path,
						signedURL: `/object/sign/${bucketId}/${path}?token=${await signUrlToken(
							{ url: `${bucketId}/${path}`, scope: 'download' },
							expiresIn
						)}`
					}
				: {
						error: 'Either the object does not exist or you do not have access to it',
						path,
						signedURL: null
					}
		)
	);
}

/** GET and HEAD of a signed URL; the object is read as superuser (RLS was checked at signing). */
export async function serveSignedUrl(
	ctx: StorageContext,
	req: IncomingMessage,
	res: ServerResponse,
	bucketId: string,
	name: string,
	query: URLSearchParams
) {
	const claims = await readToken(query, 'download', `${bucketId}/${name}`);
	const row = await findReadableObject(ctx, null, bucketId, name).catch((error: unknown) => {
		throw error instanceof StorageError ? noSuchKey() : error;
	});

	sendObject(ctx, req, res, row, {
		Expires: new Date((claims.exp ?? 0) * 1000).toUTCString(),
		...downloadHeaders(query.get('download'))
	});
}

/** `createSignedUploadUrl`: proves now, by a rolled-back insert, that the caller may write. */
export async function createSignedUploadUrl(
	ctx: StorageContext,
	caller: Caller,
	bucketId: string,
	name: string,
	upsert: boolean
) {
	assertValidKey(name);
	await loadBucket(ctx.sql, bucketId);

	const rollback = new Error('permission test only');
	await asCaller(ctx.sql, caller, 'storage.object.upload_sign', async (tx) => {
		await tx`
			insert into storage.objects (bucket_id, name, owner_id)
			values (${bucketId}, ${name}, ${caller.sub})
			${upsert ? tx`on conflict (bucket_id, name) do update set updated_at = now()` : tx``}
		`;
		throw rollback;
	}).catch((error: unknown) => {
		if (error !== rollback) {
			throw error;
		}
	});

	const token = await signUrlToken(
		{ owner: caller.sub, url: `${bucketId}/${name}`, upsert, scope: 'upload' },
		ctx.signedUploadExpirySeconds
	);
	return { url: `/object/upload/sign/${bucketId}/${name}?token=${token}`, token };
}

/** `uploadToSignedUrl`: the token carries owner and upsert; the `x-upsert` header is ignored. */
export async function uploadToSignedUrl(
	ctx: StorageContext,
	req: IncomingMessage,
	bucketId: string,
	name: string,
	query: URLSearchParams
) {
	const claims = await readToken(query, 'upload', `${bucketId}/${name}`);
	await storeUpload(ctx, req, {
		caller: SERVICE_CALLER,
		bucketId,
		name,
		upsert: claims.upsert === true,
		owner: typeof claims.owner === 'string' ? claims.owner : null
	});
	return { Key: `${bucketId}/${name}` };
}

async function readToken(query: URLSearchParams, scope: string, url: string): Promise<JWTPayload> {
	const token = query.get('token');
	if (!token) {
		throw invalidRequest("querystring must have required property 'token'");
	}

	let claims: JWTPayload;
	try {
		claims = await verifyUrlToken(token);
	} catch (error) {
		if (error instanceof joseErrors.JWTExpired) {
			throw new StorageError(
				'400',
				'ExpiredToken',
				'expired_token',
				'The provided token has expired.'
			);
		}
		throw invalidJwt(error instanceof Error ? error.message : 'invalid token');
	}

	if (claims.scope !== scope) {
		throw invalidJwt('The token was not issued for this operation');
	}
	if (claims.url !== url) {
		throw new StorageError(
			'400',
			'InvalidSignature',
			'invalid_signature',
			'The url do not match the signature'
		);
	}
	return claims;
}

function readExpiresIn(body: Record<string, unknown>): number {
	const expiresIn = body.expiresIn;
	if (typeof expiresIn !== 'number' || !Number.isInteger(expiresIn) || expiresIn < 1) {
		throw invalidRequest('body/expiresIn must be an integer >= 1');
	}
	return expiresIn;
}
