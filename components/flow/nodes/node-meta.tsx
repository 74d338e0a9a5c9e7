import type { NodeType } from '@/lib/pipeline/schema';

/** How each node type looks: its name, its colour chip and its icon. */
export const NODE_META: Record<NodeType, { title: string; description: string; chip: string }> = {
  producer: {
    title: 'Producer',
    description: 'Messages enter here',
    chip: 'bg-emerald-500/15 text-emerald-700 dark:text-emerald-400',
  },
  queue: {
    title: 'Queue',
    description: 'Buffers and retries',
    chip: 'bg-amber-500/15 text-amber-700 dark:text-amber-400',
  },
  consumer: {
    title: 'Consumer',
    description: 'Processes messages',
    chip: 'bg-sky-500/15 text-sky-700 dark:text-sky-400',
  },
};

export function NodeIcon({ type, className = 'size-3.5' }: { type: NodeType; className?: string }) {
  const common = {
    className,
    viewBox: '0 0 16 16',
    fill: 'none',
    stroke: 'currentColor',
    strokeWidth: 1.6,
    strokeLinecap: 'round' as const,
    strokeLinejoin: 'round' as const,
    'aria-hidden': true,
  };
  switch (type) {
    case 'producer':
      return (
        <svg {...common}>
          <path d="M3 8h7M7.5 4.5 11 8l-3.5 3.5" />
          <path d="M13 3v10" />
        </svg>
      );
    case 'queue':
      return (
        <svg {...common}>
          <rect x="2" y="4.5" width="12" height="7" rx="1.5" />
          <path d="M6 4.5v7M10 4.5v7" />
        </svg>
      );
    case 'consumer':
      return (
        <svg {...common}>
          <circle cx="8" cy="8" r="2.25" />
          <path d="M8 1.75v2M8 12.25v2M1.75 8h2M12.25 8h2M3.6 3.6l1.4 1.4M11 11l1.4 1.4M3.6 12.4 5 11M11 5l1.4-1.4" />
        </svg>
      );
  }
}
