/**
 * Small HTTP helpers shared by the stack's services: bounded body reading, JSON in and out,
 * and the gateway's CORS headers (SUPABASE_WIRE.md §0.3).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A failure that already knows its response; each service builds its own wire format. */
export class HttpError extends Error {
	readonly status: number;
	readonly body: unknown;
	readonly headers: Record<string, string>;

	constructor(status: number, body: unknown, headers: Record<string, string> = {}) {
		super(typeof body === 'string' ? body : JSON.stringify(body));
		this.status = status;
		this.body = body;
		this.headers = headers;
	}
}

export class BodyTooLargeError extends Error {
	constructor(limitBytes: number) {
		super(`Request body exceeds ${limitBytes} bytes`);
		this.name = 'BodyTooLargeError';
	}
}

export class InvalidJsonError extends Error {
	constructor(detail: string) {
		super(`Request body is not valid JSON: ${detail}`);
		this.name = 'InvalidJsonError';
	}
}

const ALLOWED_HEADERS = [
	'authorization',
	'apikey',
	'content-type',
	'x-client-info',
	'x-supabase-api-version',
	'x-upsert',
	'cache-control',
	'range',
	'x-metadata',
	'content-length'
].join(', ');

const EXPOSED_HEADERS = [
	'X-Supabase-Api-Version',
	'X-Total-Count',
	'Link',
	'Content-Range',
	'Content-Length',
	'Content-Disposition',
	'Accept-Ranges',
	'ETag',
	'x-sb-error-code'
].join(', ');

/** Browser calls come from the app's origin; like the platform gateway, any origin may call. */
export function applyCors(res: ServerResponse) {
	res.setHeader('Access-Control-Allow-Origin', '*');
	res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

export function answerPreflight(res: ServerResponse) {
	res.writeHead(204, {
		'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS',
		'Access-Control-Allow-Headers': ALLOWED_HEADERS,
		'Access-Control-Max-Age': '3600'
	});
	res.end();
}

export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
	const chunks: Buffer[] = [];
	let size = 0;

	for await (const chunk of req as AsyncIterable<Buffer>) {
		size += chunk.length;
		if (size > limitBytes) {
			throw new BodyTooLargeError(limitBytes);
		}
		chunks.push(chunk);
	}
	return Buffer.concat(chunks);
}

/** The JSON object in the body; an empty body counts as `{}` (clients send none on logout). */
export async function readJsonObject(
	req: IncomingMessage,
	limitBytes = 1024 * 1024
): Promise<Record<string, unknown>> {
	const text = (await readBody(req, limitBytes)).toString('utf8').trim();
	if (text === '') {
		return {};
	}

	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		throw new InvalidJsonError((error as Error).message);
	}

	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new InvalidJsonError('expected an object');
	}
	return value as Record<string, unknown>;
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {}
) {
	const payload = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': String(Buffer.byteLength(payload)),
		...headers
	});
	res.end(payload);
}

/** `Bearer <token>` from the Authorization header, or null. */
export function bearerToken(req: IncomingMessage): string | null {
	const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
	return match ? match[1] : null;
}
