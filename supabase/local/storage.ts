/**
 * Storage under /storage/v1: the subset Cuepoint uses (SUPABASE_WIRE.md §B, §E item 10).
 * No apikey check here, as on the platform: Storage checks the Authorization JWT itself and
 * signed-URL routes need nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, InvalidJsonError, readJsonObject, sendJson } from './http.ts';
import type { Signer } from './jwt.ts';
import { createBucket, getBucket, listBuckets } from './storage-buckets.ts';
import { resolveCaller, storageErrorFor } from './storage-caller.ts';
import {
	entityTooLarge,
	invalidKey,
	invalidRequest,
	noSuchBucket,
	sendStorageError,
	StorageError
} from './storage-errors.ts';
import {
	downloadHeaders,
	findReadableObject,
	removeObjects,
	sendObject,
	storeUpload,
	type StorageContext
} from './storage-objects.ts';
import {
	createSignedUploadUrl,
	createSignedUrl,
	createSignedUrls,
	serveSignedUrl,
	uploadToSignedUrl
} from './storage-signed.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;

/** `url.pathname` is already relative to /storage/v1. */
export function createStorageHandler(ctx: StorageContext, signer: Signer): Handler {
	return async (req, res, url) => {
		try {
			await route(req, res, url);
		} catch (error) {
			const failure = asStorageError(storageErrorFor(error));
			if (res.headersSent) {
				res.destroy();
			} else {
				sendStorageError(res, failure);
			}
		}
	};

	async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
		const method = req.method ?? 'GET';
		const read = method === 'GET' || method === 'HEAD';
		const path = url.pathname;
		const caller = () => resolveCaller(signer, req);
		const json = () => readJsonObject(req);
		let target: { bucketId: string; name: string } | null;

		if (path === '/bucket' && method === 'POST') {
			return sendJson(res, 200, await createBucket(ctx.sql, await caller(), await json()));
		}
		if (path === '/bucket' && method === 'GET') {
			return sendJson(res, 200, await listBuckets(ctx.sql, await caller()));
		}
		if (path.startsWith('/bucket/') && method === 'GET') {
			return sendJson(res, 200, await getBucket(ctx.sql, await caller(), decode(path.slice(8))));
		}

		if ((target = objectPath(path, '/object/sign/'))) {
			if (read) {
				return serveSignedUrl(ctx, req, res, target.bucketId, target.name, url.searchParams);
			}
			if (method === 'POST') {
				const { bucketId, name } = target;
				return sendJson(
					res,
					200,
					await createSignedUrl(ctx, await caller(), bucketId, name, await json())
				);
			}
		}
		if (method === 'POST' && path.startsWith('/object/sign/') && !path.slice(13).includes('/')) {
			return sendJson(
				res,
				200,
				await createSignedUrls(ctx, await caller(), decode(path.slice(13)), await json())
			);
		}

		if ((target = objectPath(path, '/object/upload/sign/'))) {
			const { bucketId, name } = target;
			if (method === 'POST') {
				const upsert = req.headers['x-upsert'] === 'true';
				return sendJson(
					res,
					200,
					await createSignedUploadUrl(ctx, await caller(), bucketId, name, upsert)
				);
			}
			if (method === 'PUT') {
				return sendJson(
					res,
					200,
					await uploadToSignedUrl(ctx, req, bucketId, name, url.searchParams)
				);
			}
		}

		if (read && (target = objectPath(path, '/object/public/'))) {
			if (!(await isPublicBucket(target.bucketId))) {
				throw noSuchBucket();
			}
			const row = await findReadableObject(ctx, null, target.bucketId, target.name);
			return sendObject(ctx, req, res, row, downloadHeaders(url.searchParams.get('download')));
		}

		target = objectPath(path, '/object/authenticated/') ?? objectPath(path, '/object/');
		if (target && read) {
			const row = await findReadableObject(ctx, await caller(), target.bucketId, target.name);
			const cacheControl = row.metadata?.cacheControl ?? 'no-cache';
			return sendObject(ctx, req, res, row, {
				'Cache-Control': cacheControl,
				...downloadHeaders(url.searchParams.get('download'))
			});
		}
		if (target && (method === 'POST' || method === 'PUT')) {
			const who = await caller();
			// `update()` (PUT) replaces; `upload()` (POST) does so only with `x-upsert: true`.
			const upsert = method === 'PUT' || req.headers['x-upsert'] === 'true';
			const id = await storeUpload(ctx, req, { caller: who, ...target, upsert, owner: who.sub });
			return sendJson(res, 200, { Id: id, Key: `${target.bucketId}/${target.name}` });
		}

		if (method === 'DELETE' && path.startsWith('/object/') && !path.slice(8).includes('/')) {
			return sendJson(
				res,
				200,
				await removeObjects(ctx, await caller(), decode(path.slice(8)), await json())
			);
		}

		sendJson(res, 404, {
			statusCode: '404',
			error: 'Not Found',
			message: `Route ${method}:${path} not found`
		});
	}

	async function isPublicBucket(bucketId: string) {
		const [bucket] = await ctx.sql`select 1 from storage.buckets where id = ${bucketId} and public`;
		return Boolean(bucket);
	}
}

/** `{bucket}/{name...}` after a prefix; clients do not encode paths, fetch encodes spaces. */
function objectPath(path: string, prefix: string): { bucketId: string; name: string } | null {
	if (!path.startsWith(prefix)) {
		return null;
	}
	const rest = decode(path.slice(prefix.length));
	const slash = rest.indexOf('/');
	if (slash <= 0 || slash === rest.length - 1) {
		return null;
	}
	return { bucketId: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

function decode(segment: string): string {
	try {
		return decodeURIComponent(segment);
	} catch {
		throw invalidKey(segment);
	}
}

function asStorageError(error: unknown): StorageError {
	if (error instanceof StorageError) {
		return error;
	}
	if (error instanceof InvalidJsonError) {
		return invalidRequest(error.message);
	}
	if (error instanceof BodyTooLargeError) {
		return entityTooLarge();
	}
	throw error;
}
