import { expect, test } from '@playwright/test';
import { createContact, createDeliverableInReview, seed } from './support/data.ts';
import { signIn } from './support/session.ts';

test('an empty comment is refused with a message', async ({ page }) => {
	const email = await createContact();
	const deliverableId = await createDeliverableInReview('Episode 15 Final Mix');
	await signIn(page, email);
	await page.goto(`/portal/deliverables/${deliverableId}`);

	await page.getByRole('button', { name: /^Comment at / }).click();
	await expect(page.getByText('Write your comment before sending it')).toBeVisible();
	await expect(page.getByText('No comments yet.')).toBeVisible();
});

test('revision notes are required and the page says so', async ({ page }) => {
	const email = await createContact();
	const deliverableId = await createDeliverableInReview('Episode 16 Final Mix');
	await signIn(page, email);
	await page.goto(`/portal/deliverables/${deliverableId}`);

	await page.getByRole('button', { name: 'Request revision' }).click();
	await expect(page.getByText('Please describe the changes you would like.')).toBeVisible();
	await expect(page.getByRole('button', { name: 'Approve' })).toBeVisible();
});

test("another client's or a malformed deliverable id is a plain 404", async ({ page }) => {
	const email = await createContact();
	await signIn(page, email);

	for (const id of [seed.fieldNotes.deliverableId, 'not-a-uuid', "1' or '1'='1"]) {
		const response = await page.goto(`/portal/deliverables/${encodeURIComponent(id)}`);
		expect(response?.status(), id).toBe(404);
		await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
		await expect(page.getByText('Episode 3 Rough Cut')).toHaveCount(0);
	}
	const media = await page.request.get(
		`/portal/deliverables/${seed.fieldNotes.deliverableId}/media`,
		{
			maxRedirects: 0
		}
	);
	expect(media.status()).toBe(404);
});

test.describe('without JavaScript', () => {
	test.use({ javaScriptEnabled: false });

	test('a client comments at a typed time, and a bad time keeps what was typed', async ({
		page
	}) => {
		const email = await createContact();
		const deliverableId = await createDeliverableInReview('Episode 17 Final Mix');
		await signIn(page, email);
		await page.goto(`/portal/deliverables/${deliverableId}`);

		await page.getByLabel('Your comment').fill('Breath noise before the second question.');
		await page.getByLabel('At (m:ss, optional)').fill('9:99');
		await page.getByRole('button', { name: 'Comment', exact: true }).click();
		await expect(page.getByText('Use minutes and seconds, like 1:05')).toBeVisible();
		await expect(page.getByLabel('Your comment')).toHaveValue(
			'Breath noise before the second question.'
		);

		await page.getByLabel('At (m:ss, optional)').fill('0:42');
		await page.getByRole('button', { name: 'Comment', exact: true }).click();
		const comment = page
			.getByRole('list', { name: 'Comments' })
			.getByRole('listitem')
			.filter({ hasText: 'Breath noise' });
		await expect(comment).toContainText('0:42');
	});
});
