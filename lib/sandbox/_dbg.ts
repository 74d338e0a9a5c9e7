import { createSandbox, SandboxError } from './index';
async function main() {
  const sb = await createSandbox({ timeoutMs: 200 });
  try { await sb.compileTransform('const a = []; for (;;) a.push({ i: a.length, s: "item" + a.length })')({}); } catch (e) { const x = e as SandboxError; console.log(x.kind, x.message, x.userName, x.userMessage); }
  const sb2 = await createSandbox();
  for (const code of ['return 1 }); globalThis.leak = 1; (function () {']) {
    try { sb2.compileTransform(code); console.log('compiled!?'); } catch (e) { console.log((e as Error).message); }
  }
  await sb2.compileTransform('const x = 1;\nthrow new Error("bad")')({}).catch(() => {});
  await sb2.compileTransform('throw "plain"')({}).catch(() => {});
  try { sb2.compileTransform('return 1 }); globalThis.leak = 1; (function () {'); console.log('compiled!? 2'); } catch (e) { console.log((e as Error).message); }
  sb.dispose(); sb2.dispose();
}
main();
