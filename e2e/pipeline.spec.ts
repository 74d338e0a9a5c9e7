import { expect, test } from '@playwright/test';
import { createApiKey, createPipeline, dropFromPalette, wire } from './helpers';

// The walking skeleton as a user does it: build a pipeline by dragging from the
// palette and wiring handles, save, reload, deploy, trigger over HTTP with an
// API key from the CLI, and watch the consumer's completed count reach the
// number of messages sent.

const MESSAGES = 25;

test('draw, save, reload, deploy, trigger and watch', async ({ page, request }) => {
  const pipelineId = await createPipeline(page, 'Orders e2e');

  await dropFromPalette(page, 'producer', 160, 220);
  await dropFromPalette(page, 'queue', 480, 220);
  await dropFromPalette(page, 'consumer', 800, 220);

  const producer = page.getByTestId('node-producer');
  const queue = page.getByTestId('node-queue');
  const consumer = page.getByTestId('node-consumer');

  // A wire the rules refuse snaps back with the reason.
  await producer.locator('.react-flow__handle.source').dragTo(consumer.locator('.react-flow__handle.target'));
  await expect(page.getByTestId('connection-hint')).toContainText('a producer feeds queues only');
  await expect(page.locator('.react-flow__edge')).toHaveCount(0);

  await wire(page, producer, queue);
  await wire(page, queue, consumer);

  // Name the nodes and give the consumer real work.
  await producer.click();
  await page.getByTestId('prop-label').fill('Orders API');
  await queue.click();
  await page.getByTestId('prop-label').fill('Orders queue');
  await consumer.click();
  await page.getByTestId('prop-label').fill('Pack order');
  await page.getByTestId('prop-task-kind').selectOption('delay');
  await page.getByTestId('prop-delay-ms').fill('20');
  await page.getByTestId('prop-concurrency').fill('4');
  await expect(page.getByTestId('dirty-indicator')).toBeVisible();

  await page.getByTestId('save-button').click();
  await expect(page.getByTestId('dirty-indicator')).toBeHidden();

  // Reload: everything is still there.
  await page.reload();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Orders API' })).toBeVisible();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Orders queue' })).toBeVisible();
  await expect(page.getByTestId('node-label').filter({ hasText: 'Pack order' })).toBeVisible();
  await expect(page.locator('.react-flow__edge')).toHaveCount(2);

  await page.getByTestId('deploy-button').click();
  await expect(page.getByTestId('deployed-version')).toHaveText('v1');
  await expect(page.getByTestId('stats-status')).toHaveAttribute('data-state', 'live');

  // Trigger over HTTP with an API key, as the README shows.
  const key = createApiKey();
  expect(key).toMatch(/^cvk_/);
  const res = await request.post(`/api/v1/pipelines/${pipelineId}/runs/batch`, {
    headers: { authorization: `Bearer ${key}` },
    data: { payloads: Array.from({ length: MESSAGES }, (_, i) => ({ order: i + 1 })) },
  });
  expect(res.status()).toBe(202);
  expect((await res.json()).runIds).toHaveLength(MESSAGES);

  const consumerNode = page.getByTestId('node-consumer');
  await expect(consumerNode.getByTestId('stat-completed')).toHaveAttribute('data-value', String(MESSAGES), { timeout: 20_000 });
  await expect(consumerNode.getByTestId('stat-failed')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('node-producer').getByTestId('stat-out')).toHaveAttribute('data-value', String(MESSAGES));
  await expect(page.getByTestId('node-queue').getByTestId('stat-in')).toHaveAttribute('data-value', String(MESSAGES));

  await page.screenshot({ path: 'e2e/screenshots/pipeline-running.png', fullPage: true });

  // The API agrees with the canvas.
  const stats = await (await request.get(`/api/v1/pipelines/${pipelineId}/stats`, { headers: { authorization: `Bearer ${key}` } })).json();
  const consumerId = await consumerNode.getAttribute('data-node-id');
  expect(stats.nodes[consumerId!].completed).toBe(MESSAGES);
});

test('a graph that cannot deploy is marked node by node', async ({ page }) => {
  await createPipeline(page, 'Broken e2e');
  await dropFromPalette(page, 'queue', 400, 250);
  await page.getByTestId('deploy-button').click();
  await expect(page.getByTestId('issues-panel')).toBeVisible();
  await expect(page.getByTestId('node-queue')).toHaveAttribute('data-invalid', /.*/);
  await expect(page.getByTestId('node-issue').first()).toContainText(/nothing feeds this queue|no consumer/);
  await expect(page.getByTestId('draft-badge')).toBeVisible();
});
