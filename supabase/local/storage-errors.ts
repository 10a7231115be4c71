/**
 * Storage's error convention (SUPABASE_WIRE.md §B.1): almost every failure is HTTP 400 with
 * the meaningful status as a string in `statusCode`; only Range failures (416), role checks
 * (403) and server errors (500) use their real status.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http.ts';

export class StorageError extends Error {
	readonly statusCode: string;
	readonly code: string;
	readonly error: string;
	readonly httpStatus: number;

	constructor(statusCode: string, code: string, error: string, message: string, httpStatus = 400) {
		super(message);
		this.statusCode = statusCode;
		this.code = code;
		this.error = error;
		this.httpStatus = httpStatus;
	}
}

export function sendStorageError(res: ServerResponse, failure: StorageError) {
	sendJson(
		res,
		failure.httpStatus,
		{
			statusCode: failure.statusCode,
			code: failure.code,
			error: failure.error,
			message: failure.message
		},
		failure.statusCode === '404' ? { 'Cache-Control': 'no-store' } : {}
	);
}

export const invalidRequest = (message: string) =>
	new StorageError('400', 'InvalidRequest', 'Bad Request', message);

export const accessDenied = (message: string) =>
	new StorageError('403', 'AccessDenied', 'Unauthorized', message);

export const rlsDenied = () => accessDenied('new row violates row-level security policy');

export const noSuchKey = () =>
	new StorageError('404', 'NoSuchKey', 'not_found', 'Object not found');

export const noSuchBucket = () =>
	new StorageError('404', 'NoSuchBucket', 'Bucket not found', 'Bucket not found');

export const alreadyExists = () =>
	new StorageError('409', 'ResourceAlreadyExists', 'Duplicate', 'The resource already exists');

export const invalidKey = (key: string) =>
	new StorageError('400', 'InvalidKey', 'Invalid Key', `Invalid key: ${key}`);

export const entityTooLarge = () =>
	new StorageError(
		'413',
		'EntityTooLarge',
		'Payload too large',
		'The object exceeded the maximum allowed size'
	);

export const invalidMimeType = (mimeType: string) =>
	new StorageError(
		'415',
		'InvalidMimeType',
		'invalid_mime_type',
		`mime type ${mimeType} is not supported`
	);

export const invalidJwt = (message: string) =>
	new StorageError('400', 'InvalidJWT', 'invalid_jwt', message);

export const invalidRange = () =>
	new StorageError(
		'416',
		'InvalidRange',
		'invalid_range',
		'The requested range is not satisfiable',
		416
	);
