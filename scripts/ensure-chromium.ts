/**
 * The browser tests drive Debian's Chromium (Playwright cannot download its
 * own browsers on this network). Installs it with apt-get when missing and we
 * are root; otherwise says what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

if (!existsSync(CHROMIUM)) {
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    process.stderr.write('The browser tests need Chromium at /usr/bin/chromium: run `sudo apt-get install chromium`.\n');
    process.exit(1);
  }
  process.stdout.write('Installing Debian\'s chromium for the browser tests...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const res = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (res.status !== 0) {
      process.stderr.write(`apt-get ${args.join(' ')} failed; install chromium by hand.\n`);
      process.exit(1);
    }
  }
}
