import { describe, expect, it } from 'vitest';
import { audienceOfPath, safeNextPath } from '../../src/lib/server/auth/next-path.ts';

describe('safeNextPath', () => {
	it('keeps a path under the audience home, with its query', () => {
		expect(safeNextPath('/portal/deliverables/abc?tab=comments', 'portal')).toBe(
			'/portal/deliverables/abc?tab=comments'
		);
		expect(safeNextPath('/app', 'app')).toBe('/app');
	});

	it('falls back to the home for anything off-site', () => {
		const attempts = [
			'https://evil.example/portal',
			'//evil.example/portal',
			'/\\evil.example/portal',
			'\\\\evil.example',
			'javascript:alert(1)',
			'/portal\n/x',
			' /portal',
			'portal',
			''
		];
		for (const attempt of attempts) {
			expect(safeNextPath(attempt, 'portal'), attempt).toBe('/portal');
		}
	});

	it('refuses paths outside the audience area, also through dot segments', () => {
		expect(safeNextPath('/app', 'portal')).toBe('/portal');
		expect(safeNextPath('/portal/../app/clients', 'portal')).toBe('/portal');
		expect(safeNextPath('/portalx', 'portal')).toBe('/portal');
		expect(safeNextPath('/portal/%2e%2e/app', 'portal')).toBe('/portal');
	});

	it('falls back for null and overlong input', () => {
		expect(safeNextPath(null, 'app')).toBe('/app');
		expect(safeNextPath('/app/' + 'a'.repeat(600), 'app')).toBe('/app');
	});
});

describe('audienceOfPath', () => {
	it('tells the studio workspace from the portal', () => {
		expect(audienceOfPath('/app/deliverables/1')).toBe('app');
		expect(audienceOfPath('/portal')).toBe('portal');
		expect(audienceOfPath('/apple')).toBe('portal');
	});
});
