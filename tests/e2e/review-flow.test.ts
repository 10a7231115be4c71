import { expect, test } from '@playwright/test';
import { createContact, createDeliverableInReview, seed } from './support/data.ts';
import { signIn } from './support/session.ts';

test('a client plays the final mix, comments at a time and asks for a revision that the producer sees', async ({
	page,
	browser
}) => {
	await signIn(page, seed.maya);
	await expect(page.getByRole('banner')).toContainText('Northwind Audio');
	const pending = page.getByRole('list').first();
	await expect(pending.getByRole('link', { name: 'Episode 12 Final Mix' })).toBeVisible();

	await pending.getByRole('link', { name: 'Episode 12 Final Mix' }).click();
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Episode 12 Final Mix');

	const audio = page.locator('audio');
	await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeGreaterThan(30);
	await page.getByRole('button', { name: 'Play', exact: true }).first().click();
	await expect
		.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime))
		.toBeGreaterThan(2);
	await audio.evaluate((a: HTMLAudioElement) => a.pause());
	const position = await audio.evaluate((a: HTMLAudioElement) => Math.floor(a.currentTime));
	const stamp = `0:${String(position).padStart(2, '0')}`;

	await page.getByLabel('Your comment').fill('The music bed drowns the host here.');
	await page.getByRole('button', { name: `Comment at ${stamp}` }).click();
	const comments = page.getByRole('list', { name: 'Comments' });
	await expect(comments.getByRole('listitem').filter({ hasText: 'drowns the host' })).toContainText(
		stamp
	);

	await page.getByLabel('What should change?').fill('Lower the music under the intro, please.');
	await page.getByRole('button', { name: 'Request revision' }).click();
	await expect(page.getByRole('status')).toContainText('Revision requested');
	await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);

	const studio = await browser.newContext();
	const producer = await studio.newPage();
	await signIn(producer, seed.producerEmail, '/login');
	await producer.getByRole('link', { name: 'Episode 12 Final Mix' }).click();
	const studioComments = producer.getByRole('list', { name: 'Comments' });
	const clientComment = studioComments.getByRole('listitem').filter({ hasText: 'drowns the host' });
	await expect(clientComment).toContainText(stamp);
	await expect(clientComment).toContainText('Maya Lindqvist');
	await expect(producer.getByText('Revision requested').first()).toBeVisible();
	await expect(producer.getByText('Lower the music under the intro, please.')).toBeVisible();
	await studio.close();
});

test('a client approves, and a second decision on the same version is refused', async ({
	page,
	context
}) => {
	const email = await createContact();
	const deliverableId = await createDeliverableInReview('Episode 14 Final Mix');
	await signIn(page, email);

	await page.goto(`/portal/deliverables/${deliverableId}`);
	const secondTab = await context.newPage();
	await secondTab.goto(`/portal/deliverables/${deliverableId}`);

	await page.getByLabel('Note (optional)').fill('Sounds great.');
	await page.getByRole('button', { name: 'Approve' }).click();
	await expect(page.getByRole('status')).toContainText('Approved');
	await expect(page.getByRole('status')).toContainText('Sounds great.');
	await expect(page.getByRole('button', { name: 'Request revision' })).toHaveCount(0);

	await secondTab.getByLabel('What should change?').fill('Actually, one more change.');
	await secondTab.getByRole('button', { name: 'Request revision' }).click();
	// The stale tab learns why, sees the decision that stands, and keeps the note it could not send.
	const refusal = secondTab.getByRole('alert');
	await expect(refusal).toContainText('This version has already been reviewed.');
	await expect(refusal).toContainText('Your note was not sent: “Actually, one more change.”');
	await expect(secondTab.getByRole('status')).toContainText('Approved');
	await expect(secondTab.getByRole('button', { name: 'Request revision' })).toHaveCount(0);
});
