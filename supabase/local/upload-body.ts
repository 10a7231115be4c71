/**
 * Receives an upload body into a temporary file, streaming, so a 500 MB deliverable never sits
 * in memory. storage-js sends either the raw bytes or multipart/form-data with fields
 * `cacheControl` and `metadata` and one file part (SUPABASE_WIRE.md §B.2).
 */
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { entityTooLarge, invalidRequest } from './storage-errors.ts';

export interface ReceivedUpload {
	tempPath: string;
	size: number;
	/** Hex MD5 of the bytes, the eTag Storage reports. */
	md5: string;
	mimeType: string;
	cacheControl: string;
	userMetadata: Record<string, unknown> | null;
	discard(): Promise<void>;
}

const FIELD_LIMIT_BYTES = 64 * 1024;

export async function receiveUpload(
	req: IncomingMessage,
	options: { tempDir: string; limitBytes: number }
): Promise<ReceivedUpload> {
	await mkdir(options.tempDir, { recursive: true });
	const tempPath = join(options.tempDir, randomUUID());
	const sink = new FileSink(tempPath, options.limitBytes);

	try {
		const type = req.headers['content-type'] ?? '';
		const boundary = /^multipart\/form-data;.*boundary="?([^";]+)"?/i.exec(type)?.[1];
		let fields: Record<string, string> = {};
		let partType: string | null = null;

		if (boundary) {
			({ fields, partType } = await readMultipart(req, boundary, sink));
		} else {
			for await (const chunk of req as AsyncIterable<Buffer>) {
				await sink.write(chunk);
			}
		}
		await sink.close();

		const cacheControl = fields.cacheControl
			? `max-age=${fields.cacheControl}`
			: (req.headers['cache-control'] ?? 'no-cache');
		const mimeType =
			fields.contentType || (boundary ? partType : type) || 'application/octet-stream';

		return {
			tempPath,
			size: sink.size,
			md5: sink.md5(),
			mimeType,
			cacheControl,
			userMetadata: parseMetadata(fields.metadata ?? decodeHeader(req.headers['x-metadata'])),
			discard: () => rm(tempPath, { force: true })
		};
	} catch (error) {
		sink.abort();
		await rm(tempPath, { force: true });
		throw error;
	}
}

class FileSink {
	size = 0;
	private readonly hash = createHash('md5');
	private readonly stream: WriteStream;
	private readonly limitBytes: number;

	constructor(path: string, limitBytes: number) {
		this.stream = createWriteStream(path);
		this.limitBytes = limitBytes;
	}

	async write(chunk: Buffer) {
		this.size += chunk.length;
		if (this.size > this.limitBytes) {
			throw entityTooLarge();
		}
		this.hash.update(chunk);
		if (!this.stream.write(chunk)) {
			await once(this.stream, 'drain');
		}
	}

	close() {
		return new Promise<void>((resolve, reject) =>
			this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
		);
	}

	abort() {
		this.stream.destroy();
	}

	md5() {
		return this.hash.digest('hex');
	}
}

/**
 * A streaming multipart/form-data reader: text fields are collected (bounded), the first part
 * with a filename goes to the sink. The body is searched for `\r\n--boundary`; the leading CRLF
 * is prepended so the first delimiter looks like the others.
 */
async function readMultipart(source: IncomingMessage, boundary: string, sink: FileSink) {
	const delimiter = Buffer.from(`\r\n--${boundary}`);
	const fields: Record<string, string> = {};
	let partType: string | null = null;
	let buffer = Buffer.from('\r\n');
	let state: 'preamble' | 'headers' | 'body' | 'done' = 'preamble';
	let part: { name: string; isFile: boolean; chunks: Buffer[]; size: number } | null = null;

	const emit = async (data: Buffer) => {
		if (!part || data.length === 0) {
			return;
		}
		if (part.isFile) {
			await sink.write(data);
		} else {
			part.size += data.length;
			if (part.size > FIELD_LIMIT_BYTES) {
				throw invalidRequest(`Form field ${part.name} is too large`);
			}
			part.chunks.push(data);
		}
	};

	for await (const chunk of source as AsyncIterable<Buffer>) {
		buffer = Buffer.concat([buffer, chunk]);

		for (let progressed = true; progressed && state !== 'done';) {
			progressed = false;

			if (state === 'preamble' || state === 'body') {
				const at = buffer.indexOf(delimiter);
				if (at === -1 || buffer.length < at + delimiter.length + 2) {
					// Keep enough bytes to recognise a delimiter split across chunks.
					const keep = at === -1 ? delimiter.length + 1 : buffer.length - at;
					if (buffer.length > keep) {
						if (state === 'body') {
							await emit(buffer.subarray(0, buffer.length - keep));
						}
						buffer = buffer.subarray(buffer.length - keep);
					}
					continue;
				}
				if (state === 'body') {
					await emit(buffer.subarray(0, at));
					if (part && !part.isFile) {
						fields[part.name] = Buffer.concat(part.chunks).toString('utf8');
					}
				}
				const after = buffer.subarray(at + delimiter.length, at + delimiter.length + 2).toString();
				buffer = buffer.subarray(at + delimiter.length + 2);
				state = after === '--' ? 'done' : 'headers';
				part = null;
				progressed = true;
			} else if (state === 'headers') {
				const end = buffer.indexOf('\r\n\r\n');
				if (end === -1) {
					if (buffer.length > FIELD_LIMIT_BYTES) {
						throw invalidRequest('Multipart part headers are too large');
					}
					continue;
				}
				const headers = buffer.subarray(0, end).toString('utf8');
				buffer = buffer.subarray(end + 4);
				const disposition = /content-disposition:[^\r\n]*/i.exec(headers)?.[0] ?? '';
				const name = /\bname="([^"]*)"/i.exec(disposition)?.[1] ?? '';
				const isFile = /\bfilename="/i.test(disposition) && partType === null;
				if (isFile) {
					partType = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1].trim() ?? '';
				}
				part = { name, isFile, chunks: [], size: 0 };
				state = 'body';
				progressed = true;
			}
		}
	}

	if (state !== 'done') {
		throw invalidRequest('The multipart body ended before its closing boundary');
	}
	return { fields, partType };
}

function decodeHeader(value: string | string[] | undefined): string | undefined {
	return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : undefined;
}

function parseMetadata(text: string | undefined): Record<string, unknown> | null {
	if (!text) {
		return null;
	}
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: null;
	} catch {
		throw invalidRequest('metadata must be a JSON object');
	}
}
