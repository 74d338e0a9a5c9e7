/** What a payload template may contain (lib/runtime/producers/template.ts), shown under the payload fields. */
export function TemplateHint({ first }: { first: string }) {
  const code = 'rounded bg-surface-2 px-1 font-mono text-[11px] whitespace-nowrap text-fg';
  return (
    <span>
      JSON; empty sends <code className={code}>{'{ "seq", "at" }'}</code>. In strings, <code className={code}>{'{{seq}}'}</code> becomes{' '}
      {first}, <code className={code}>{'{{now}}'}</code> the ISO time and <code className={code}>{'{{nowMs}}'}</code> epoch ms. A string that
      is just <code className={code}>{'"{{seq}}"'}</code> becomes a number.
    </span>
  );
}
