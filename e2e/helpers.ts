import { execFileSync } from 'node:child_process';
import { expect, type Locator, type Page } from '@playwright/test';

/** Shared steps of the browser specs: creating a pipeline, dropping and wiring nodes, selecting them. */

export type NodeKind = 'producer' | 'queue' | 'consumer';

/** New pipeline through the list page's form; returns its id once the editor is open. */
export async function createPipeline(page: Page, name: string): Promise<string> {
  await page.goto('/');
  await page.getByTestId('new-pipeline-button').click();
  await page.getByTestId('new-pipeline-name').fill(name);
  await page.getByTestId('new-pipeline-submit').click();
  await page.waitForURL(/\/pipelines\/[^/]+$/);
  await expect(page.getByTestId('canvas')).toBeVisible();
  return page.url().split('/').pop()!;
}

/**
 * Drags a palette item onto the canvas at (x, y) of the pane (the node is
 * centred there) and returns the new node's id: a dropped node is selected,
 * so the properties panel opens on it.
 */
export async function dropFromPalette(page: Page, kind: NodeKind, x: number, y: number): Promise<string> {
  const nodes = page.getByTestId(`node-${kind}`);
  const before = await nodes.count();
  await page.getByTestId(`palette-${kind}`).dragTo(page.locator('.react-flow__pane'), { targetPosition: { x, y } });
  await expect(nodes).toHaveCount(before + 1);
  const panel = page.getByTestId('properties-panel');
  await expect(panel).toHaveAttribute('data-node-type', kind);
  return (await panel.getAttribute('data-node-id'))!;
}

/** The body of node `id` (the element carrying `node-<type>` and `data-node-id`). */
export function node(page: Page, id: string): Locator {
  return page.locator(`[data-testid^="node-"][data-node-id="${id}"]`);
}

/** Clicks a node and waits for the properties panel to show it. */
export async function selectNode(page: Page, id: string): Promise<Locator> {
  await node(page, id).getByTestId('node-label').click();
  const panel = page.getByTestId('properties-panel');
  await expect(panel).toHaveAttribute('data-node-id', id);
  return panel;
}

/** Drags from one node's output handle to another's input handle; expects one more edge. */
export async function wire(page: Page, from: Locator, to: Locator) {
  const edges = page.locator('.react-flow__edge');
  const before = await edges.count();
  await from.locator('.react-flow__handle.source').dragTo(to.locator('.react-flow__handle.target'));
  await expect(edges).toHaveCount(before + 1);
}

/** Saves with the toolbar button and waits until nothing is left unsaved. */
export async function save(page: Page) {
  await page.getByTestId('save-button').click();
  await expect(page.getByTestId('dirty-indicator')).toBeHidden();
  await expect(page.getByTestId('editor-notice')).toHaveAttribute('data-tone', 'success');
}

export async function deploy(page: Page, version: number) {
  await page.getByTestId('deploy-button').click();
  await expect(page.getByTestId('deployed-version')).toHaveText(`v${version}`);
  await expect(page.getByTestId('stats-status')).toHaveAttribute('data-state', 'live');
}

/** An admin API key from the CLI, as the README shows. */
export function createApiKey(): string {
  const out = execFileSync('npm', ['run', '-s', 'apikey', '--', 'create', '--name', 'e2e', '--scope', 'admin'], {
    env: { ...process.env, DATA_DIR: '.e2e-data' },
    encoding: 'utf8',
  });
  return out.trim().split('\n').pop()!;
}

/** Screenshots of one element in the light and the dark scheme: e2e/screenshots/<name>-light.png and -dark.png. */
export async function screenshotBothSchemes(page: Page, target: Locator, name: string) {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await target.screenshot({ path: `e2e/screenshots/${name}-${scheme}.png`, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
