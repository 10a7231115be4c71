/**
 * Storage through storage-js (SUPABASE_WIRE.md §B): uploads with the service key and by signed
 * upload URL, signing under RLS as the caller, and signed URLs served with HTTP Range.
 * A throwaway bucket and policy per run: users may read objects under their own id.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JWT_SECRET } from '../../supabase/local/keys.ts';
import { adminClient, globalStack, signIn } from './clients.ts';

const stack = globalStack();
const sql = postgres(inject('superuserUrl'), { max: 1 });
const bucket = `contract-${randomUUID().slice(0, 8)}`;
const policy = `Users read their own folder in ${bucket}`;
const storage = adminClient(stack).storage;
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));

let owner: Awaited<ReturnType<typeof signIn>>;
let ownPath: string;
let otherPath: string;

beforeAll(async () => {
	await sql`
		insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
		values (${bucket}, ${bucket}, false, 2000, array['text/*', 'application/octet-stream'])
	`;
	await sql.unsafe(`
		create policy "${policy}" on storage.objects for select to authenticated
		using (bucket_id = '${bucket}' and (storage.foldername(name))[1] = (select auth.uid())::text)
	`);

	owner = await signIn(stack);
	ownPath = `${owner.userId}/take 1.bin`;
	otherPath = `${randomUUID()}/take 1.bin`;
	for (const path of [ownPath, otherPath]) {
		const { error } = await storage
			.from(bucket)
			.upload(path, bytes, { contentType: 'application/octet-stream' });
		expect(error).toBeNull();
	}
});

afterAll(async () => {
	await sql.unsafe(`drop policy if exists "${policy}" on storage.objects`);
	await sql.end();
});

describe('uploads', () => {
	it('refuse to overwrite without upsert and replace with it', async () => {
		const path = `${randomUUID()}/note.txt`;
		await storage.from(bucket).upload(path, 'first', { contentType: 'text/plain' });

		const duplicate = await storage
			.from(bucket)
			.upload(path, 'second', { contentType: 'text/plain' });
		expect(duplicate.error).toMatchObject({ status: 400, statusCode: '409' });

		const replaced = await storage
			.from(bucket)
			.upload(path, 'second', { contentType: 'text/plain', upsert: true });
		expect(replaced.error).toBeNull();
		const { data } = await storage.from(bucket).download(path);
		expect(await data?.text()).toBe('second');
	});

	it("enforce the bucket's size limit and mime types", async () => {
		const tooLarge = await storage
			.from(bucket)
			.upload(`${randomUUID()}/big.bin`, Buffer.alloc(2001), { contentType: 'text/plain' });
		expect(tooLarge.error).toMatchObject({ statusCode: '413' });

		const wrongType = await storage
			.from(bucket)
			.upload(`${randomUUID()}/x.mp3`, 'x', { contentType: 'audio/mpeg' });
		expect(wrongType.error).toMatchObject({
			statusCode: '415',
			message: 'mime type audio/mpeg is not supported'
		});
	});

	it('go through a signed upload URL as multipart, and come back byte for byte', async () => {
		const path = `${owner.userId}/signed upload.txt`;
		const signed = await storage.from(bucket).createSignedUploadUrl(path);
		expect(signed.error).toBeNull();

		const blob = new Blob(['uploaded through a signed URL\r\n--not-a-boundary'], {
			type: 'text/plain'
		});
		const uploaded = await storage
			.from(bucket)
			.uploadToSignedUrl(path, signed.data?.token ?? '', blob);
		expect(uploaded.error).toBeNull();
		expect(uploaded.data?.fullPath).toBe(`${bucket}/${path}`);

		const { data } = await owner.client.storage.from(bucket).download(path);
		expect(await data?.text()).toBe('uploaded through a signed URL\r\n--not-a-boundary');
	});

	it('are removed by exact name, returning the deleted rows', async () => {
		const path = `${randomUUID()}/gone.txt`;
		await storage.from(bucket).upload(path, 'bye', { contentType: 'text/plain' });

		const { data, error } = await storage.from(bucket).remove([path, `${path}.missing`]);
		expect(error).toBeNull();
		expect(data?.map((row) => row.name)).toEqual([path]);
		expect((await storage.from(bucket).download(path)).error).toMatchObject({ statusCode: '404' });
	});
});

describe('signing', () => {
	it('signs an object the caller can see under RLS', async () => {
		const { data, error } = await owner.client.storage.from(bucket).createSignedUrl(ownPath, 60);
		expect(error).toBeNull();
		expect(data?.signedUrl).toContain(`/object/sign/${bucket}/${owner.userId}/take%201.bin?token=`);
	});

	it('refuses, as not found, an object the caller cannot see', async () => {
		const { data, error } = await owner.client.storage.from(bucket).createSignedUrl(otherPath, 60);
		expect(data).toBeNull();
		expect(error).toMatchObject({ status: 400, statusCode: '404', message: 'Object not found' });
	});

	it('signs in bulk only what the caller can see', async () => {
		const { data } = await owner.client.storage
			.from(bucket)
			.createSignedUrls([ownPath, otherPath], 60);
		expect(data?.map((item) => [item.path, item.signedUrl !== null, item.error])).toEqual([
			[ownPath, true, null],
			[otherPath, false, 'Either the object does not exist or you do not have access to it']
		]);
	});
});

describe('signed URLs', () => {
	let url: string;

	beforeAll(async () => {
		const { data } = await storage.from(bucket).createSignedUrl(ownPath, 600);
		url = data?.signedUrl ?? '';
	});

	it('serve the whole object with Accept-Ranges and the token expiry', async () => {
		const response = await fetch(url);
		expect(response.status).toBe(200);
		expect(response.headers.get('accept-ranges')).toBe('bytes');
		expect(response.headers.get('content-length')).toBe('1000');
		expect(response.headers.get('content-type')).toBe('application/octet-stream');
		expect(Date.parse(response.headers.get('expires') ?? '')).toBeGreaterThan(Date.now());
		expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes);
	});

	it('serve exactly the requested bytes of a single range', async () => {
		for (const [range, start, end] of [
			['bytes=10-19', 10, 19],
			['bytes=990-', 990, 999],
			['bytes=-5', 995, 999],
			['bytes=995-5000', 995, 999]
		] as const) {
			const response = await fetch(url, { headers: { range } });
			expect(response.status).toBe(206);
			expect(response.headers.get('content-range')).toBe(`bytes ${start}-${end}/1000`);
			expect(Buffer.from(await response.arrayBuffer())).toEqual(bytes.subarray(start, end + 1));
		}
	});

	it('answer an unsatisfiable range with a real 416', async () => {
		const response = await fetch(url, { headers: { range: 'bytes=1000-' } });
		expect(response.status).toBe(416);
		expect(response.headers.get('content-range')).toBe('bytes */1000');
		expect(await response.json()).toMatchObject({ statusCode: '416', code: 'InvalidRange' });
	});

	it('answer HEAD with the headers only, and download= with an attachment', async () => {
		const head = await fetch(url, { method: 'HEAD' });
		expect(head.status).toBe(200);
		expect(head.headers.get('content-length')).toBe('1000');
		expect(await head.text()).toBe('');

		const download = await fetch(`${url}&download=take%201.bin`);
		expect(download.headers.get('content-disposition')).toBe(
			"attachment; filename=take%201.bin; filename*=UTF-8''take%201.bin"
		);
	});

	it('refuse a token for another object, and an expired one', async () => {
		const token = new URL(url).searchParams.get('token') ?? '';
		const base = `${stack.apiUrl}/storage/v1/object/sign/${bucket}/${otherPath}`;
		const foreign = await fetch(`${base}?token=${token}`);
		expect(await foreign.json()).toMatchObject({ statusCode: '400', code: 'InvalidSignature' });

		const iat = Math.floor(Date.now() / 1000) - 120;
		const expired = await new SignJWT({
			url: `${bucket}/${otherPath}`,
			scope: 'download',
			iat,
			exp: iat + 60
		})
			.setProtectedHeader({ alg: 'HS256' })
			.sign(new TextEncoder().encode(JWT_SECRET));
		const late = await fetch(`${base}?token=${expired}`);
		expect(await late.json()).toMatchObject({ code: 'ExpiredToken' });
	});

	it('play the seed audio for the producer', async () => {
		const producer = await signIn(stack, 'producer@northwind.example');
		const [version] = await sql<{ storage_path: string }[]>`
			select storage_path from public.deliverable_versions where file_name = 'episode-12-final-mix.wav'
		`;
		const { data, error } = await producer.client.storage
			.from('deliverables')
			.createSignedUrl(version.storage_path, 60);
		expect(error).toBeNull();

		const response = await fetch(data?.signedUrl ?? '', { headers: { range: 'bytes=0-11' } });
		expect(response.status).toBe(206);
		expect(response.headers.get('content-type')).toBe('audio/wav');
		expect(Buffer.from(await response.arrayBuffer()).toString('latin1')).toMatch(/^RIFF....WAVE$/s);
	});
});
