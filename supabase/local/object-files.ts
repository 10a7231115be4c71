/**
 * Object bytes on disk and how they are served. Files are named by a hash of bucket and object
 * name, so no object name (`..`, odd characters) can ever reach outside the storage folder.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { invalidRange, sendStorageError } from './storage-errors.ts';

export function objectFilePath(dataDir: string, bucketId: string, name: string): string {
	const key = createHash('sha256').update(`${bucketId}\0${name}`).digest('hex');
	return join(dataDir, 'storage', 'objects', key);
}

export type RangeRequest =
	{ kind: 'whole' } | { kind: 'part'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * A single `bytes=` range as Storage serves it (§B.2): `a-b`, `a-` or `-n`, the end clamped to
 * the size. Several ranges or another unit are ignored (the whole object is sent, as RFC 9110
 * allows); a malformed or unsatisfiable byte range is a 416.
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
	const spec = header?.trim().match(/^bytes\s*=\s*(.*)$/i)?.[1];
	if (spec === undefined || spec.includes(',')) {
		return { kind: 'whole' };
	}

	const match = /^(\d*)\s*-\s*(\d*)$/.exec(spec.trim());
	if (!match || (match[1] === '' && match[2] === '') || size === 0) {
		return { kind: 'unsatisfiable' };
	}

	if (match[1] === '') {
		const suffix = Number(match[2]);
		return suffix === 0
			? { kind: 'unsatisfiable' }
			: { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
	}

	const start = Number(match[1]);
	const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
	return start >= size || start > end ? { kind: 'unsatisfiable' } : { kind: 'part', start, end };
}

export interface ServedObject {
	filePath: string;
	size: number;
	mimeType: string;
	eTag: string;
	lastModified: Date;
	headers: Record<string, string>;
}

export function serveObject(req: IncomingMessage, res: ServerResponse, object: ServedObject) {
	const range = parseRange(req.headers.range, object.size);
	const headers: Record<string, string> = {
		'Content-Type': object.mimeType,
		'Accept-Ranges': 'bytes',
		ETag: object.eTag,
		'Last-Modified': object.lastModified.toUTCString(),
		...object.headers
	};

	if (range.kind === 'unsatisfiable') {
		res.setHeader('Content-Range', `bytes */${object.size}`);
		return sendStorageError(res, invalidRange());
	}
	if (req.headers['if-none-match'] === object.eTag && range.kind === 'whole') {
		res.writeHead(304, headers).end();
		return;
	}

	const start = range.kind === 'part' ? range.start : 0;
	const end = range.kind === 'part' ? range.end : object.size - 1;
	headers['Content-Length'] = String(Math.max(0, end - start + 1));
	if (range.kind === 'part') {
		headers['Content-Range'] = `bytes ${start}-${end}/${object.size}`;
	}
	res.writeHead(range.kind === 'part' ? 206 : 200, headers);

	if (req.method === 'HEAD' || object.size === 0) {
		res.end();
		return;
	}
	const stream = createReadStream(object.filePath, { start, end });
	stream.on('error', () => res.destroy());
	stream.pipe(res);
}
